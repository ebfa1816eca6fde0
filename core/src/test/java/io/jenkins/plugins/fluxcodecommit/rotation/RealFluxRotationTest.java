package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.RealFluxControllers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SSH-key rotation judged by the real source-controller v1.9.4: the rotation's evidence that Flux
 * uses the new key is the real controller's own Ready condition at the commit that names the new
 * key ID, and when the real controller cannot get in with the new key, everything is put back.
 */
class RealFluxRotationTest extends RotationFixture {
    @AfterEach
    void letEveryClientIn() {
        SSH.letGoClientsInOnlyAs(null);
    }

    private RotationRequest request(SshFluxCluster c) {
        return new RotationRequest(
                c.namespace(),
                CredentialKind.SSH_KEY,
                c.user(),
                AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                "us-east-1",
                CLUSTER.target(),
                List.of(new RotationTarget.FluxSource(c.namespace(), c.namespace(), "flux-system")),
                null,
                null,
                true,
                false,
                Duration.ZERO,
                Duration.ofSeconds(60),
                Duration.ofMillis(200),
                AwsSettings.defaults().withIamEndpoint(MOTO.endpoint()).withStsEndpoint(MOTO.endpoint()),
                Duration.ZERO);
    }

    @Test
    void theRealSourceControllerFetchesWithTheNewKeyIdBeforeTheOldKeyIsDeleted() throws IOException {
        String ns = unique("real-rotate");
        try (var controllers = RealFluxControllers.start(CLUSTER, k8s(), ns, Map.of())) {
            SshFluxCluster c = Clusters.realSshFluxCluster(
                    MOTO, SSH, CLUSTER, unique("real-user"), unique("real-repo"), ns, log::add);

            RotationResult result = rotate(request(c));

            assertThat(result.outcome()).as(controllers.logs()).isEqualTo(RotationResult.Outcome.ROTATED);
            JsonNode status = status(ns);
            assertThat(status.path("artifact").path("revision").asText()).isEqualTo("main@sha1:" + head(c.repo()));
            assertThat(status.path("conditions"))
                    .anyMatch(cond -> cond.path("type").asText().equals("Ready")
                            && cond.path("status").asText().equals("True"));
            assertThat(SSH.attempts()).anyMatch(a -> a.user().equals(result.newId()) && a.accepted());
            assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                    .extracting(k -> k.sshPublicKeyId())
                    .containsExactly(result.newId());
        }
    }

    @Test
    void whenTheRealSourceControllerIsRefusedTheNewKeyEverythingIsPutBack() throws IOException {
        String ns = unique("real-refused");
        try (var controllers = RealFluxControllers.start(CLUSTER, k8s(), ns, Map.of())) {
            SshFluxCluster c = Clusters.realSshFluxCluster(
                    MOTO, SSH, CLUSTER, unique("real-user"), unique("real-repo"), ns, log::add);
            SSH.letGoClientsInOnlyAs(c.keyId());

            assertThatThrownBy(() -> rotate(request(c))).hasMessageContaining("is not Ready with the new credential");

            assertThat(controllers.logged("source-controller", "unable to authenticate"))
                    .as(controllers.logs())
                    .isTrue();
            assertOnTheOldKey(c);
            assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                    .extracting(k -> k.sshPublicKeyId())
                    .containsExactly(c.keyId());
        }
    }

    private static JsonNode status(String ns) {
        var source = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(ns)
                .withName(ns)
                .get();
        return new ObjectMapper().valueToTree(source.getAdditionalProperties().get("status"));
    }
}
