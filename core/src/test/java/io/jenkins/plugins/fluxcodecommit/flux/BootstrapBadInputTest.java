package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs to bootstrap: each is refused with a message naming the value and the fix, and
 * leaves nothing behind: no commit in the repository, no object in the cluster.
 */
class BootstrapBadInputTest {
    private static final String REGION = "us-east-1";
    private static final AwsKeys KEYS = AwsKeys.of("AKIABADINPUT00000001", "bad-input-secret-access-key");

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer(REGION);

    static SshKeyPair small;
    static SshKeyPair good;

    @BeforeAll
    static void setUp() throws IOException {
        HTTPS.registerKey(KEYS, Permission.PULL, Permission.PUSH);
        HTTPS.createRepository("untouched");
        small = SshKeyPair.generateRsa(1024);
        good = SshKeyPair.generateRsa(2048);
    }

    static InstallOptions ns(String namespace) {
        return new InstallOptions(null, namespace, null, null, null, null, true, true, null, null, null);
    }

    static Stream<Arguments> badInputs() {
        String cc = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet";
        String ccSsh = "ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet";
        return Stream.of(
                bad("empty URL", b -> b, "", "No repository URL was given"),
                bad(
                        "scp-like URL",
                        b -> b,
                        "APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com:v1/repos/fleet",
                        "scp-like"),
                bad(
                        "IAM user as SSH user",
                        b -> b.sshKey(good.privateKeyPem(), null),
                        "ssh://alice@git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet",
                        "SSH user 'alice'"),
                bad(
                        "git as SSH user",
                        b -> b.sshKey(good.privateKeyPem(), null),
                        "ssh://git@git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet",
                        "SSH user 'git'"),
                bad(
                        "unknown region",
                        b -> b.identity(KEYS),
                        "https://git-codecommit.us-est-1.amazonaws.com/v1/repos/fleet",
                        "Did you mean 'us-east-1'"),
                bad(
                        "password in URL",
                        b -> b,
                        "https://bob:pw@git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet",
                        "carries credentials"),
                bad(
                        "IAM with username and password",
                        b -> b.identity(KEYS).basicAuth("bob", Secret.of("pw")),
                        cc,
                        "Both an IAM identity and a user name"),
                bad(
                        "SSH key for HTTPS URL",
                        b -> b.sshKey(good.privateKeyPem(), null),
                        cc,
                        "An SSH private key was given for the HTTPS URL"),
                bad("no credentials for CodeCommit", b -> b, cc, "No credentials were given"),
                bad("SSH URL without key", b -> b.identity(KEYS), ccSsh, "no SSH private key was given"),
                bad("RSA key too small", b -> b.sshKey(small.privateKeyPem(), null), ccSsh, "at least 2048"),
                bad(
                        "wrong passphrase",
                        b -> b.sshKey(good.privateKeyPem(Secret.of("right-one")), Secret.of("wrong-one")),
                        ccSsh,
                        "does not decrypt"),
                bad(
                        "missing passphrase",
                        b -> b.sshKey(good.privateKeyPem(Secret.of("right-one")), null),
                        ccSsh,
                        "none was given"),
                bad(
                        "invalid branch",
                        b -> b.identity(KEYS).branch("main..x"),
                        cc,
                        "'main..x' is not a valid branch name"),
                bad("explicitly empty branch", b -> b.identity(KEYS).branch(""), cc, "The branch name is empty"),
                bad("absolute path", b -> b.identity(KEYS).path("/etc/flux"), cc, "must be relative"),
                bad(
                        "path leaving the repository",
                        b -> b.identity(KEYS).path("clusters/../../x"),
                        cc,
                        "leaves or re-enters"),
                bad("bad interval", b -> b.identity(KEYS).interval("1 minute"), cc, "'1 minute' is not a duration"),
                bad(
                        "zero interval",
                        b -> b.identity(KEYS).interval("0s"),
                        cc,
                        "The sync interval 0s is shorter than 10s"),
                bad(
                        "five-second interval",
                        b -> b.identity(KEYS).interval("5s"),
                        cc,
                        "The sync interval 5s is shorter than 10s"),
                bad("negative interval", b -> b.identity(KEYS).interval("-1m"), cc, "'-1m' is a negative duration"),
                bad(
                        "Flux 2.8 over HTTPS with IAM",
                        b -> b.identity(KEYS)
                                .install(new InstallOptions(
                                        "2.8.0", "bad-flux-28", null, null, null, null, true, true, null, null, null)),
                        cc,
                        "Flux v2.8.0 cannot fetch over HTTPS with IAM: the GitRepository's provider: aws needs Flux"
                                + " v2.9.0 or later"),
                bad(
                        "negative timeout",
                        b -> b.identity(KEYS).timeout(Duration.ofSeconds(-1)),
                        cc,
                        "The timeout -1s is not positive"),
                bad(
                        "bad secret name",
                        b -> b.identity(KEYS).secretName("Flux_System"),
                        cc,
                        "'Flux_System' is not a valid secret name"),
                bad("zero timeout", b -> b.identity(KEYS).timeout(Duration.ZERO), cc, "The timeout 0s is not positive"),
                bad(
                        "bad source-controller role",
                        b -> b.identity(KEYS).sourceControllerRoleArn("flux-role"),
                        cc,
                        "'flux-role' is not an IAM role ARN"),
                bad(
                        "missing manifests directory",
                        b -> b.identity(KEYS).manifests(new ManifestsSource.Directory("/nonexistent/manifests")),
                        cc,
                        "does not exist"),
                bad(
                        "bad known_hosts",
                        b -> b.sshKey(good.privateKeyPem(), null).knownHosts("not a known hosts line"),
                        ccSsh,
                        "known_hosts"),
                bad(
                        "kubeconfig that does not exist",
                        b -> b.identity(KEYS)
                                .cluster(new ClusterTarget.Kubeconfig("/nonexistent/kubeconfig", null, null)),
                        cc,
                        "cannot be read"));
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(
                        "bad version",
                        (Runnable) () -> new InstallOptions(
                                "latest", null, null, null, null, null, true, true, null, null, null),
                        "'latest' is not a Flux version"),
                Arguments.of(
                        "Flux before 2",
                        (Runnable) () -> new InstallOptions(
                                "0.41.2", null, null, null, null, null, true, true, null, null, null),
                        "Flux v0.41.2 predates Flux 2"),
                Arguments.of(
                        "Flux 3",
                        (Runnable) () -> new InstallOptions(
                                "v3.0.0", null, null, null, null, null, true, true, null, null, null),
                        "Flux v3.0.0 is not a release this bootstrap knows"),
                Arguments.of(
                        "version with four parts",
                        (Runnable) () -> new InstallOptions(
                                "2.9.4.1", null, null, null, null, null, true, true, null, null, null),
                        "'2.9.4.1' is not a Flux version"),
                Arguments.of(
                        "bad namespace",
                        (Runnable) () -> ns("Flux_System"),
                        "'Flux_System' is not a valid namespace name"),
                Arguments.of(
                        "components without source-controller",
                        (Runnable) () -> new InstallOptions(
                                null,
                                null,
                                List.of("kustomize-controller"),
                                null,
                                null,
                                null,
                                true,
                                true,
                                null,
                                null,
                                null),
                        "lack source-controller"),
                Arguments.of(
                        "unknown component",
                        (Runnable) () -> new InstallOptions(
                                null,
                                null,
                                null,
                                List.of("image-controller"),
                                null,
                                null,
                                true,
                                true,
                                null,
                                null,
                                null),
                        "Unknown Flux component"),
                Arguments.of(
                        "bad log level",
                        (Runnable) () ->
                                new InstallOptions(null, null, null, null, null, null, true, true, "trace", null, null),
                        "Log level 'trace'"),
                Arguments.of(
                        "registry with scheme",
                        (Runnable) () -> new InstallOptions(
                                null, null, null, null, "https://ghcr.io/fluxcd", null, true, true, null, null, null),
                        "not a container registry path"));
    }

    static Arguments bad(String name, UnaryOperator<BootstrapRequest.Builder> change, String url, String message) {
        return Arguments.of(name, change, url, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithASpecificMessageAndNothingChanges(
            String name, UnaryOperator<BootstrapRequest.Builder> change, String url, String message)
            throws IOException {
        String namespace = "bad-" + Math.abs(name.hashCode());
        BootstrapRequest.Builder builder = BootstrapRequest.builder(url)
                .install(ns(namespace))
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(CLUSTER.target())
                .timeout(Duration.ofSeconds(5));
        BootstrapRequest request = change.apply(builder).build();
        int accesses = HTTPS.accesses().size();
        assertThatThrownBy(() -> new Bootstrap(request, Map.of(), Clock.systemUTC()).call(m -> {}))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidInputException) e).fix()).isNotBlank());
        assertThat(HTTPS.accesses()).hasSize(accesses);
        try (Repository r = HTTPS.open("untouched")) {
            assertThat(r.resolve("refs/heads/main")).isNull();
        }
        try (var kube = CLUSTER.connect()) {
            assertThat(kube.client().namespaces().withName(namespace).get()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badInstallOptionsAreRefusedByName(String name, Runnable make, String message) {
        assertThatThrownBy(make::run).isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
    }
}
