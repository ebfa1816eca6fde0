package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl's rules for reading and merging kubeconfig files, and the messages when one is unusable. */
class MergedKubeconfigTest {
    @TempDir
    Path tmp;

    private String file(String name, String content) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        return file.toString();
    }

    private static String cluster(String name, String server) {
        return "- name: " + name + "\n  cluster: {server: '" + server + "'}\n";
    }

    @Test
    void theFirstFileToDefineANameWinsAndSetsTheCurrentContext() throws Exception {
        String first = file("first", "clusters:\n" + cluster("c", "https://first:6443") + """
                users:
                - name: u
                  user: {token: first-token}
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                """);
        String second = file(
                "second", "clusters:\n" + cluster("c", "https://second:6443") + cluster("d", "https://d:6443") + """
                users:
                - name: u
                  user: {token: second-token}
                contexts:
                - name: x
                  context: {cluster: d, user: u}
                - name: y
                  context: {cluster: d, user: u}
                current-context: y
                """);
        String third = file("third", "current-context: x\n");
        MergedKubeconfig merged = MergedKubeconfig.read(List.of(first, second, third));
        // current-context: the first file that sets one (the second), not the last.
        assertThat(merged.context(null)).isEqualTo("y");
        assertThat(merged.server("x")).isEqualTo("https://first:6443");
        var x = merged.clientConfig("x");
        assertThat(x.getMasterUrl()).startsWith("https://first:6443");
        assertThat(x.getAutoOAuthToken()).isEqualTo("first-token");
        assertThat(merged.clientConfig("y").getMasterUrl()).startsWith("https://d:6443");
        assertThat(merged.origin())
                .isEqualTo(
                        "the kubeconfig files " + first + ", " + second + ", " + third + " (merged from KUBECONFIG)");
    }

    @Test
    void missingFilesOfAListAreSkippedAndNoneExistingIsAnError() throws Exception {
        String real = file(
                "real",
                "clusters:\n" + cluster("c", "https://c:6443")
                        + "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n");
        String missing = tmp.resolve("missing").toString();
        assertThat(MergedKubeconfig.read(List.of(missing, real)).context("x")).isEqualTo("x");
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of(missing, missing + "2")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(
                        "None of the kubeconfig files KUBECONFIG lists exists: " + missing + ", " + missing + "2");
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of(missing)))
                .hasMessageContaining("The kubeconfig " + missing + " cannot be read: it does not exist.");
    }

    @Test
    void theDefaultKubeconfigIsKubeconfigsListOrTheHomeFile() {
        assertThat(ClusterTarget.defaultKubeconfig(Map.of("KUBECONFIG", "/a:/b::/a", "HOME", "/h"), "x"))
                .isEqualTo(new ClusterTarget.Kubeconfig(List.of("/a", "/b"), null, "x"));
        // An empty KUBECONFIG is unset, as for kubectl.
        assertThat(ClusterTarget.defaultKubeconfig(Map.of("KUBECONFIG", "", "HOME", "/h"), null)
                        .files())
                .containsExactly("/h/.kube/config");
        assertThat(ClusterTarget.defaultKubeconfig(Map.of("KUBECONFIG", ":", "HOME", "/h"), null)
                        .files())
                .isEmpty();
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of()))
                .hasMessageContaining("KUBECONFIG is set but names no kubeconfig file");
    }

    @Test
    void aDirectoryIsNotAKubeconfig() {
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of(tmp.toString())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The kubeconfig " + tmp + " is a directory, not a kubeconfig file.");
    }

    @Test
    void yamlErrorsGiveTheLineButNotTheText() throws Exception {
        String broken = file("broken", "clusters:\n- name: c\n  cluster: {server: x}\nusers:\n  token: s3cr3t: more\n");
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of(broken)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The kubeconfig " + broken + " is not valid YAML (line 5")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> MergedKubeconfig.parse(Secret.of("just some words")))
                .hasMessageContaining("the kubeconfig content is not a kubeconfig: it is YAML, but not a mapping");
        assertThatThrownBy(() -> MergedKubeconfig.parse(Secret.of("contexts: {a: b}")))
                .hasMessageContaining("its 'contexts' is not a list");
        assertThatThrownBy(() -> MergedKubeconfig.parse(Secret.of("contexts: [{name: a, context: 5}]")))
                .hasMessageContaining("a value has the wrong type at contexts[0].context")
                .hasMessageNotContaining("io.fabric8");
        Path binary = Files.write(tmp.resolve("binary"), new byte[] {(byte) 0xc3, (byte) 0x28, 0, (byte) 0xff});
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of(binary.toString())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not text (it is not UTF-8)");
    }

    @Test
    void anEmptyKubeconfigHasNoContexts() throws Exception {
        String empty = file("empty", "");
        assertThatThrownBy(() -> MergedKubeconfig.read(List.of(empty)).context("x"))
                .hasMessageContaining(
                        "There is no context 'x' in the kubeconfig " + empty + " (it defines no contexts)");
    }

    @Test
    void aClusterWithoutServerOrAContextWithoutUserIsRefused() {
        assertThatThrownBy(() -> MergedKubeconfig.parse(Secret.of(
                                "clusters: [{name: c, cluster: {}}]\ncontexts: [{name: x, context: {cluster: c}}]"))
                        .context("x"))
                .hasMessageContaining("The cluster 'c' of the kubeconfig content has no server URL.");
        assertThatThrownBy(
                        () -> MergedKubeconfig.parse(Secret.of("clusters: [{name: c, cluster: {server: 'https://c'}}]\n"
                                        + "contexts: [{name: x, context: {cluster: c}}]"))
                                .context("x"))
                .hasMessageContaining("The context 'x' of the kubeconfig content names no user");
    }
}
