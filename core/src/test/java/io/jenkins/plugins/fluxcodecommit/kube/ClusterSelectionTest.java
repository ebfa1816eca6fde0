package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster named is the cluster used, or none: a context that does not exist, or whose cluster
 * or user does not, is refused before any request, naming what there is; never does the current
 * context stand in for it.
 */
class ClusterSelectionTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @TempDir
    Path tmp;

    /** The real server as cluster {@code real}, its admin as user {@code admin}. */
    static String clusterAndUser() {
        var target = (ClusterTarget.ApiServer) CLUSTER.target();
        String ca = Base64.getEncoder().encodeToString(TestTls.certificatePem().getBytes(StandardCharsets.UTF_8));
        return """
                clusters:
                - name: real
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                """.formatted(target.url(), ca, target.token().reveal());
    }

    /** Contexts {@code a} (current) and {@code b}, both on the real server. */
    static String twoContexts() {
        return "apiVersion: v1\nkind: Config\n" + clusterAndUser() + """
                contexts:
                - name: a
                  context: {cluster: real, user: admin}
                - name: b
                  context: {cluster: real, user: admin}
                current-context: a
                """;
    }

    private Path file(String name, String content) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static KubeConnection open(ClusterTarget target, Map<String, String> environment) {
        return KubeConnection.open(
                target, null, null, environment, new Redactor(), Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @Test
    void aContextThatDoesNotExistIsRefusedNamingTheContextsAndTheFile() throws Exception {
        Path kubeconfig = file("kubeconfig", twoContexts());
        ClusterTarget target = ClusterTarget.select(null, null, false, kubeconfig.toString(), null, "nope", Map.of());
        assertThatThrownBy(() -> open(target, Map.of()).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("There is no context 'nope' in the kubeconfig " + kubeconfig)
                .hasMessageContaining("its contexts: a, b")
                .hasMessageContaining("kubectl config get-contexts --kubeconfig " + kubeconfig);
        assertThatThrownBy(() -> KubeConnection.check(target, Map.of())).hasMessageContaining("'nope'");
    }

    @Test
    void aContextThatDoesNotExistInKubeconfigContentIsRefused() {
        // The Jenkins steps' kubeconfigCredentials take this path: content and a context.
        ClusterTarget target =
                ClusterTarget.select(null, null, false, null, Secret.of(twoContexts()), "nope", Map.of());
        assertThatThrownBy(() -> open(target, Map.of()).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("There is no context 'nope' in the kubeconfig content (its contexts: a, b)")
                .hasMessageNotContaining(
                        ((ClusterTarget.ApiServer) CLUSTER.target()).token().reveal());
    }

    @Test
    void theDefaultKubeconfigsContextIsCheckedToo() throws Exception {
        Path kubeconfig = file("config", twoContexts());
        Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString());
        ClusterTarget target = ClusterTarget.select(null, null, false, null, null, "nope", env);
        assertThatThrownBy(() -> open(target, env).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("There is no context 'nope' in the kubeconfig " + kubeconfig);
    }

    @Test
    void withoutAContextTheCurrentOneIsUsedAndNamed() throws Exception {
        Path kubeconfig = file("kubeconfig", twoContexts());
        try (KubeConnection kube =
                open(ClusterTarget.select(null, null, false, kubeconfig.toString(), null, null, Map.of()), Map.of())) {
            assertThat(kube.describe()).isEqualTo("kubeconfig " + kubeconfig + " context a");
            assertThat(kube.client().namespaces().withName("default").get()).isNotNull();
        }
    }

    @Test
    void aKubeconfigWithoutCurrentContextNeedsAContext() throws Exception {
        Path kubeconfig = file("kubeconfig", twoContexts().replace("current-context: a\n", ""));
        assertThatThrownBy(() -> open(new ClusterTarget.Kubeconfig(kubeconfig.toString(), null, null), Map.of())
                        .close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The kubeconfig " + kubeconfig
                        + " sets no current-context, and no context was given (its contexts: a, b)");
    }

    @Test
    void aCurrentContextThatDoesNotExistIsRefused() throws Exception {
        Path kubeconfig = file("kubeconfig", twoContexts().replace("current-context: a", "current-context: gone"));
        assertThatThrownBy(() -> open(new ClusterTarget.Kubeconfig(kubeconfig.toString(), null, null), Map.of())
                        .close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The current-context 'gone' of the kubeconfig " + kubeconfig
                        + " is not one of its contexts (its contexts: a, b)");
    }

    @Test
    void aContextWhoseUserIsNotDefinedIsRefused() throws Exception {
        Path kubeconfig = file(
                "kubeconfig",
                twoContexts()
                        .replace(
                                "context: {cluster: real, user: admin}\n- name: b",
                                "context: {cluster: real, user: nobody}\n- name: b"));
        assertThatThrownBy(() -> open(new ClusterTarget.Kubeconfig(kubeconfig.toString(), null, "a"), Map.of())
                        .close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The context 'a' of the kubeconfig " + kubeconfig
                        + " names the user 'nobody', which it does not define (its users: admin)")
                .hasMessageContaining("kubectl config set-credentials nobody");
    }

    @Test
    void aContextWhoseClusterIsNotDefinedIsRefused() throws Exception {
        Path kubeconfig = file(
                "kubeconfig",
                twoContexts()
                        .replace(
                                "{cluster: real, user: admin}\ncurrent", "{cluster: elsewhere, user: admin}\ncurrent"));
        assertThatThrownBy(() -> open(new ClusterTarget.Kubeconfig(kubeconfig.toString(), null, "b"), Map.of())
                        .close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The context 'b' of the kubeconfig " + kubeconfig
                        + " names the cluster 'elsewhere', which it does not define (its clusters: real)");
    }

    @Test
    void aKubeconfigListIsMergedAsKubectlMergesIt() throws Exception {
        // The first file sets the current context; the second holds the cluster and the user.
        Path first = file("first", """
                contexts:
                - name: a
                  context: {cluster: real, user: admin}
                current-context: a
                """);
        Path second = file("second", clusterAndUser() + "current-context: other\n");
        Map<String, String> env =
                Map.of("KUBECONFIG", tmp.resolve("missing") + ":" + first + ":" + second, "HOME", tmp.toString());
        try (KubeConnection kube = open(ClusterTarget.select(null, null, false, null, null, "a", env), env)) {
            assertThat(kube.client().namespaces().withName("default").get()).isNotNull();
        }
        try (KubeConnection kube = open(ClusterTarget.defaultKubeconfig(env, null), env)) {
            assertThat(kube.describe()).endsWith(" context a");
        }
    }
}
