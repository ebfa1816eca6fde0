package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The raw writes keep what fabric8's typed ones give: the manager, and a conflict on a stale update. */
class SecretWritesTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @Test
    void writesAsFluxAndAStaleUpdateIsAConflictNotASilentSuccessNorAnEchoOfTheData() {
        try (KubeConnection kube = CLUSTER.connect()) {
            var k8s = kube.client();
            Clusters.namespace(k8s, "secret-writes");
            SecretWrites.create(
                    k8s,
                    new SecretBuilder()
                            .withNewMetadata()
                            .withName("flux-system")
                            .withNamespace("secret-writes")
                            .endMetadata()
                            .withStringData(Map.of("identity", "one"))
                            .build());
            var read = k8s.secrets()
                    .inNamespace("secret-writes")
                    .withName("flux-system")
                    .get();
            assertThat(read.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getManager)
                    .containsOnly("flux");
            var stale = new SecretBuilder(read).build();
            read.setStringData(Map.of("identity", "two"));
            SecretWrites.update(k8s, read);

            stale.setStringData(Map.of("identity", "Canary-Stale-Identity-3"));
            assertThatThrownBy(() -> SecretWrites.update(k8s, stale))
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageNotContaining("Canary-Stale-Identity-3")
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                            .isEqualTo(409));
        }
    }
}
