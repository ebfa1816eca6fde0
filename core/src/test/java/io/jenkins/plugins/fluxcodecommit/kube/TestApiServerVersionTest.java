package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test API server reports the release it was built from, as a real cluster does, so that
 * version-aware tools (flux check --pre, kubectl version skew warnings) can judge it.
 */
class TestApiServerVersionTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @Test
    void versionIsTheStampedRelease() {
        try (KubeConnection kube = CLUSTER.connect()) {
            var version = kube.client().getKubernetesVersion();
            assertThat(version.getGitVersion()).isEqualTo("v1.34.4");
            assertThat(version.getMajor()).isEqualTo("1");
            assertThat(version.getMinor()).isEqualTo("34");
            assertThat(version.getGitTreeState()).isEqualTo("clean");
        }
    }
}
