package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * --kubeconfig and --context pick the cluster, or nothing happens: a context that does not exist
 * leaves the kubeconfig's current cluster untouched and exits 2, for bootstrap and rotate, dry run
 * or not. KUBECONFIG may list several files, merged as kubectl merges them.
 */
class ClusterOptionsTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path kubeconfig;
    private Path repository;

    /** Contexts {@code a} (current: the real server) and {@code b}. */
    @BeforeEach
    void kubeconfigAndRepository() throws Exception {
        var target = (ClusterTarget.ApiServer) CLUSTER.target();
        String ca = Base64.getEncoder().encodeToString(TestTls.certificatePem().getBytes(StandardCharsets.UTF_8));
        kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(
                kubeconfig, """
                clusters:
                - name: real
                  cluster: {server: '%s', certificate-authority-data: %s}
                users:
                - name: admin
                  user: {token: %s}
                contexts:
                - name: a
                  context: {cluster: real, user: admin}
                - name: b
                  context: {cluster: real, user: admin}
                current-context: a
                """.formatted(target.url(), ca, target.token().reveal()));
        repository = tmp.resolve("fleet.git");
        Git.init()
                .setBare(true)
                .setDirectory(repository.toFile())
                .setInitialBranch("main")
                .call()
                .close();
    }

    private int run(Map<String, String> environment, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    /** Every object's kind, namespace, name and resourceVersion in the namespaces and CRDs a bootstrap writes. */
    private static List<String> clusterState() {
        try (var kube = CLUSTER.connect()) {
            List<String> state = new ArrayList<>();
            Stream.concat(
                            kube.client().namespaces().list().getItems().stream(),
                            kube.client().apiextensions().v1().customResourceDefinitions().list().getItems().stream())
                    .map(HasMetadata.class::cast)
                    .forEach(o -> state.add(o.getKind() + "/" + o.getMetadata().getName() + "@"
                            + o.getMetadata().getResourceVersion()));
            kube.client()
                    .secrets()
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .forEach(s -> state.add("Secret/"
                            + s.getMetadata().getNamespace() + "/"
                            + s.getMetadata().getName() + "@"
                            + s.getMetadata().getResourceVersion()));
            return state;
        }
    }

    private void assertRefusedNamingTheContexts(int code) {
        assertThat(code).as(out + "\n" + err).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains(
                        "error: There is no context 'nope' in the kubeconfig " + kubeconfig + " (its contexts: a, b).")
                .contains("fix: Give one of its contexts; kubectl config get-contexts --kubeconfig " + kubeconfig)
                .doesNotContain("Exception");
    }

    private String[] bootstrap(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "bootstrap",
                "--url",
                repository.toString(),
                "--path",
                "clusters/nope",
                "--namespace",
                "ctx-nope-system",
                "--no-wait",
                "--manifests",
                System.getProperty("flux.sample.manifests"),
                "--kubeconfig",
                kubeconfig.toString(),
                "--context",
                "nope"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void bootstrapWithAContextThatDoesNotExistTouchesNoClusterAndNoRepository() throws Exception {
        List<String> before = clusterState();
        assertRefusedNamingTheContexts(run(Map.of(), bootstrap()));
        assertThat(clusterState()).isEqualTo(before);
        try (var kube = CLUSTER.connect()) {
            assertThat(kube.client().namespaces().withName("ctx-nope-system").get())
                    .isNull();
        }
        try (Git git = Git.open(repository.toFile())) {
            assertThat(git.getRepository().getRefDatabase().getRefs()).isEmpty();
        }
    }

    @Test
    void aDryRunBootstrapWithAContextThatDoesNotExistFailsTheSameWay() {
        List<String> before = clusterState();
        assertRefusedNamingTheContexts(run(
                Map.of(),
                bootstrap("--dry-run", "--export-dir", tmp.resolve("out").toString())));
        assertThat(out.toString()).doesNotContain("objects to apply");
        assertThat(tmp.resolve("out")).doesNotExist();
        assertThat(clusterState()).isEqualTo(before);
    }

    private String[] rotate(String context, String user, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "rotate",
                "--kind",
                "access-key",
                "--user",
                user,
                "--context",
                context,
                "--region",
                "us-east-1",
                "--force",
                "--secret",
                user + "/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,secretAccessKey=AWS_SECRET_ACCESS_KEY",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void rotateWithAContextThatDoesNotExistPrintsNoPlanAndChangesNothing() {
        AwsKeys keys = MOTO.createUserWithKey("ctx-nope-user");
        try (var kube = CLUSTER.connect()) {
            Clusters.keySecret(kube.client(), "ctx-nope-user", keys);
        }
        Map<String, String> env = Map.of("AWS_SECRET_ACCESS_KEY", "admin", "HOME", tmp.toString());
        List<String> before = clusterState();
        for (String[] args : List.of(
                rotate("nope", "ctx-nope-user", "--kubeconfig", kubeconfig.toString(), "--dry-run"),
                rotate("nope", "ctx-nope-user", "--kubeconfig", kubeconfig.toString()))) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertRefusedNamingTheContexts(run(env, args));
            assertThat(out.toString()).doesNotContain("CLUSTER").doesNotContain("ROTATED");
        }
        assertThat(clusterState()).isEqualTo(before);
        assertThat(MOTO.adminIam()
                        .listAccessKeys(b -> b.userName("ctx-nope-user"))
                        .accessKeyMetadata())
                .extracting(k -> k.accessKeyId())
                .containsExactly(keys.accessKeyId());
    }

    @Test
    void aKubeconfigListReachesTheClusterItsMergedContextNames() throws Exception {
        // kubectl's merge: the context lives in the second file, the first (missing) is skipped.
        Map<String, String> env = Map.of(
                "AWS_SECRET_ACCESS_KEY",
                "admin",
                "HOME",
                tmp.toString(),
                "KUBECONFIG",
                tmp.resolve("missing") + ":" + kubeconfig);
        AwsKeys keys = MOTO.createUserWithKey("ctx-list-user");
        try (var kube = CLUSTER.connect()) {
            Clusters.keySecret(kube.client(), "ctx-list-user", keys);
        }
        int code = run(env, rotate("b", "ctx-list-user", "--dry-run"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("b ").contains(keys.accessKeyId());
    }
}
