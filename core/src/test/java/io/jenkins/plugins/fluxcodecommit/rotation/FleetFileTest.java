package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fleet files are read whole and checked before any cluster starts; every error names its line. */
class FleetFileTest {
    @TempDir
    Path tmp;

    private String kubeconfig;

    @BeforeEach
    void kubeconfig() throws Exception {
        Path file = tmp.resolve("kubeconfig");
        Files.writeString(file, "apiVersion: v1\nkind: Config\n");
        kubeconfig = file.toString();
    }

    private static final FleetFile.Shared SHARED = new FleetFile.Shared(
            null, "us-east-1", null, null, false, false, Duration.ZERO, Duration.ofMinutes(2), null, Map.of());

    private List<RotationRequest> parse(String yaml) {
        return FleetFile.parse(yaml.replace("KUBECONFIG", kubeconfig), "fleet.yaml", SHARED);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(String yaml) {
        return assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("Exception")
                .hasMessageNotContaining("com.fasterxml")
                .hasMessageNotContaining("Source:");
    }

    private static final String CLUSTER = """
            clusters:
              - name: prod
                user: prod_codecommit_user
                kind: access-key
                kubeconfig: KUBECONFIG
                context: test
                targets:
                  - secret: {namespace: apps, name: codecommit, keys: {accessKeyId: ID, secretAccessKey: KEY}}
            """;

    @Test
    void aValidFleetGivesOneRequestPerClusterWithTheFilesValuesOverTheDefaults() {
        List<RotationRequest> requests = parse("""
                defaults:
                  kind: ssh-key
                  maxAgeDays: 365
                clusters:
                  - name: prod
                    user: prod_codecommit_user
                    kind: access-key
                    maxAgeDays: 30
                    kubeconfig: KUBECONFIG
                    targets:
                      - secret: {namespace: apps, name: codecommit, keys: {accessKeyId: ID, secretAccessKey: KEY}, constants: {AWS_REGION: eu-west-1}}
                  - name: staging
                    user: staging_flux
                    kubeconfig: KUBECONFIG
                    context: staging
                    targets:
                      - flux: {namespace: flux-system}
                      - argo: {secret: repo-fleet}
                """);
        assertThat(requests).extracting(RotationRequest::name).containsExactly("prod", "staging");
        RotationRequest prod = requests.get(0);
        assertThat(prod.kind()).isEqualTo(CredentialKind.ACCESS_KEY);
        assertThat(prod.maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(prod.targets())
                .containsExactly(new RotationTarget.NamedSecret(
                        "apps",
                        "codecommit",
                        Map.of("accessKeyId", "ID", "secretAccessKey", "KEY"),
                        Map.of("AWS_REGION", "eu-west-1")));
        RotationRequest staging = requests.get(1);
        assertThat(staging.kind()).isEqualTo(CredentialKind.SSH_KEY);
        assertThat(staging.maxAge()).isEqualTo(Duration.ofDays(365));
        assertThat(staging.cluster()).isEqualTo(new ClusterTarget.Kubeconfig(kubeconfig, null, "staging"));
        assertThat(staging.targets())
                .containsExactly(
                        new RotationTarget.FluxSource("flux-system", "flux-system", "flux-system"),
                        new RotationTarget.ArgoRepository("argocd", "repo-fleet"));
    }

    @Test
    void aMisspeltKeyInTheDefaultsIsAnErrorNamingTheKeyItsLineAndTheKnownKeys() {
        refused("""
                defaults:
                  kind: access-key

                  maxAgeDay: 365
                """ + CLUSTER)
                .hasMessageContaining("line 4: unknown key 'maxAgeDay' in defaults")
                .hasMessageContaining("kind, maxAgeDays, region, kubeconfig")
                .hasMessageContaining("Did you mean 'maxAgeDays'?");
    }

    static Stream<Arguments> unknownKeys() {
        String secret =
                "      - secret: {namespace: apps, name: codecommit, keys: {accessKeyId: ID, secretAccessKey: KEY}}\n";
        String head =
                "clusters:\n  - name: prod\n    user: u\n    kind: ssh-key\n    kubeconfig: KUBECONFIG\n    targets:\n";
        return Stream.of(
                Arguments.of("at the top", "cluster: x\n" + CLUSTER, "line 1: unknown key 'cluster' in the file"),
                Arguments.of(
                        "in a cluster",
                        head + secret + "    maxAgeDay: 365\n",
                        "line 8: unknown key 'maxAgeDay' in cluster 'prod'"),
                Arguments.of(
                        "in a target",
                        head + secret + "      - fluxx: {}\n",
                        "line 8: unknown key 'fluxx' in target 2 of cluster 'prod'"),
                Arguments.of(
                        "in a Flux target",
                        head + secret + "      - flux: {namespace: flux-system, gitRepo: x}\n",
                        "line 8: unknown key 'gitRepo' in flux of target 2 of cluster 'prod'"),
                Arguments.of(
                        "in a secret target",
                        head + secret + "      - secret: {namespace: a, name: b, key: {}}\n",
                        "line 8: unknown key 'key' in secret of target 2 of cluster 'prod'"),
                Arguments.of(
                        "in a secret's keys",
                        head + secret + "      - secret: {namespace: a, name: b, keys: {accesKeyId: A}}\n",
                        "line 8: unknown key 'accesKeyId' in keys of secret of target 2 of cluster 'prod'"));
    }

    @ParameterizedTest(name = "an unknown key {0} is refused with its line")
    @MethodSource("unknownKeys")
    void anUnknownKeyAtEveryLevelIsAnErrorWithItsLine(String where, String yaml, String expected) {
        refused(yaml).hasMessageContaining(expected).hasMessageContaining("the keys there are");
    }

    @Test
    void aYamlSyntaxErrorGivesTheLineAndColumnWithoutTheParsersNoise() {
        refused("""
                clusters:
                  - name: prod
                    user: a: b
                """)
                .hasMessageContaining("fleet.yaml is not valid YAML at line 3, column 12")
                .hasMessageContaining("mapping values are not allowed here")
                .hasMessageNotContaining("reader")
                .hasMessageNotContaining("^");
    }

    @Test
    void wrongTypesAreErrorsWithTheLine() {
        refused(CLUSTER.replace("    kind: access-key\n", "    kind: access-key\n    maxAgeDays: \"a year\"\n"))
                .hasMessageContaining("line 5: maxAgeDays of cluster 'prod' is 'a year', not a whole number of days");
        refused(CLUSTER.replace("    kind: access-key\n", "    kind: access-key\n    inCluster: maybe\n"))
                .hasMessageContaining("line 5: inCluster of cluster 'prod' is 'maybe', not true or false");
        refused(CLUSTER.replace("    user: prod_codecommit_user\n", "    user: [a, b]\n"))
                .hasMessageContaining("line 3: user of cluster 'prod' is a list, not a single value");
        refused("clusters: all\n").hasMessageContaining("line 1: clusters of the file is 'all', not a list");
    }

    @Test
    void aMaximumAgeBelowOneDayIsRefusedWithItsLineAndRange() {
        refused("defaults:\n  maxAgeDays: -1\n" + CLUSTER)
                .hasMessageContaining("line 2")
                .hasMessageContaining("maxAgeDays is -1: a maximum age is 1 day or more");
    }

    @Test
    void aClusterWithoutUserKindOrNameAndDuplicateNamesAreErrorsNamingTheEntry() {
        refused(CLUSTER.replace("    user: prod_codecommit_user\n", ""))
                .hasMessageContaining("line 2: cluster 'prod' has no user");
        refused(CLUSTER.replace("    kind: access-key\n", ""))
                .hasMessageContaining("line 2: cluster 'prod' has no kind")
                .hasMessageContaining("access-key, ssh-key or https-git-credential");
        refused(CLUSTER.replace("kind: access-key", "kind: acess-key"))
                .hasMessageContaining("line 4 (cluster 'prod'): Unknown credential kind 'acess-key'");
        refused(CLUSTER.replace("  - name: prod\n    user", "  - user")).hasMessageContaining("cluster 1 has no name");
        refused(CLUSTER + CLUSTER.replace("clusters:\n", ""))
                .hasMessageContaining("line 9: cluster 'prod' uses a name already given at line 2");
        refused(CLUSTER.replace("    context: test\n", "").replace("    kubeconfig: KUBECONFIG\n", ""))
                .hasMessageContaining("cluster 'prod' names no cluster");
    }

    @Test
    void aFileWithoutClustersIsAnError() {
        refused("defaults:\n  kind: access-key\n").hasMessageContaining("fleet.yaml lists no clusters");
        refused("clusters: []\n").hasMessageContaining("fleet.yaml lists no clusters");
        refused("").hasMessageContaining("not a mapping with 'clusters'");
    }

    @Test
    void aTargetThatCannotHoldTheKindIsRefusedWithTheClustersLine() {
        refused(CLUSTER.replace(
                        "      - secret: {namespace: apps, name: codecommit, keys: {accessKeyId: ID, secretAccessKey: KEY}}",
                        "      - flux: {}"))
                .hasMessageContaining("line 2 (cluster 'prod'): Flux GitRepository flux-system/flux-system")
                .hasMessageContaining("cannot hold an access key");
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingBothLines() {
        refused(CLUSTER.replace("    context: test\n", "    context: test\n    user: other\n"))
                .hasMessageContaining("line 7: 'user' is given twice (first at line 3)");
    }
}
