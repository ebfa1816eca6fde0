package io.jenkins.plugins.fluxcodecommit.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-string forms both front ends take, parsed without touching the machine. */
class InputParsingTest {
    @Test
    void manifestsLocations() {
        assertThat(ManifestsSource.parse(null, null, "https://mirror.example/flux2/releases/"))
                .isEqualTo(new ManifestsSource.Release("https://mirror.example/flux2/releases"));
        assertThat(ManifestsSource.parse("https://mirror.example/manifests.tar.gz", " " + "AB".repeat(32) + " ", null))
                .isEqualTo(new ManifestsSource.Url(
                        URI.create("https://mirror.example/manifests.tar.gz"), "ab".repeat(32)));
        assertThat(ManifestsSource.parse("flux/manifests.tar.gz", null, null))
                .isEqualTo(new ManifestsSource.Tarball("flux/manifests.tar.gz"));
        assertThat(ManifestsSource.parse("/opt/flux/manifests", null, null))
                .isEqualTo(new ManifestsSource.Directory("/opt/flux/manifests"));
    }

    @Test
    void clusterSelection() {
        Map<String, String> env = Map.of("HOME", "/home/jenkins");
        assertThat(ClusterTarget.select(null, null, false, null, null, null, env))
                .isNull();
        assertThat(ClusterTarget.select("prod", "eu-west-1", false, null, null, null, env))
                .isEqualTo(new ClusterTarget.Eks("prod", "eu-west-1", null));
        assertThat(ClusterTarget.select(null, null, true, null, null, null, env))
                .isEqualTo(new ClusterTarget.InCluster());
        assertThat(ClusterTarget.select(null, null, false, null, null, "kind-a", env))
                .isEqualTo(new ClusterTarget.Kubeconfig("/home/jenkins/.kube/config", null, "kind-a"));
        assertThat(ClusterTarget.select(
                        null, null, false, null, null, "kind-a", Map.of("KUBECONFIG", "/etc/kube.yaml")))
                .isEqualTo(new ClusterTarget.Kubeconfig("/etc/kube.yaml", null, "kind-a"));
        Secret content = Secret.of("apiVersion: v1");
        assertThat(ClusterTarget.select(null, null, false, null, content, null, env))
                .isEqualTo(ClusterTarget.Kubeconfig.inline(content, null));
        assertThatThrownBy(() -> ClusterTarget.select("prod", null, false, null, null, null, env))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("without a region");
        assertThatThrownBy(() -> ClusterTarget.select("prod", "eu-west-1", true, null, null, null, env))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("More than one cluster");
    }

    @Test
    void zeroIsADurationAsInGo() {
        assertThat(io.jenkins.plugins.fluxcodecommit.flux.GoDuration.parse("0", "deleteAfter"))
                .isZero();
        assertThatThrownBy(() -> io.jenkins.plugins.fluxcodecommit.flux.GoDuration.parse("7", "deleteAfter"))
                .hasMessageContaining("'7' is not a duration");
    }

    @Test
    void credentialKinds() {
        assertThat(CredentialKind.parse("SSH_KEY")).isEqualTo(CredentialKind.SSH_KEY);
        assertThat(CredentialKind.parse(" https-git-credential ")).isEqualTo(CredentialKind.HTTPS_GIT_CREDENTIAL);
        for (CredentialKind k : CredentialKind.values()) {
            assertThat(CredentialKind.parse(k.label())).isEqualTo(k);
        }
        assertThatThrownBy(() -> CredentialKind.parse("password")).hasMessageContaining("password");
    }
}
