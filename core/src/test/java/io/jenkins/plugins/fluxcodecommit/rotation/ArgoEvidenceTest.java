package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.ArgoCdController;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.SSHPublicKeyMetadata;

/** Defect 2 for Argo CD: an Application refreshed with the new key is the evidence; a failed one rolls back. */
class ArgoEvidenceTest extends RotationFixture {

    private static java.util.List<SSHPublicKeyMetadata> sshKeys(String user) {
        return admin.listSSHPublicKeys(b -> b.userName(user)).sshPublicKeys();
    }

    @Test
    void anApplicationRefreshedWithTheNewKeyRetiresTheOldAtOnce() {
        ArgoSshRepository argo = argoSshRepository();
        RotationResult result;
        try (var controller = new ArgoCdController(k8s(), argo.namespace(), SSH.knownHostsLine())) {
            controller.application("fleet-apps", SSH.url(argo.keyId(), argo.repo()));
            result = rotate(argoRequest(argo, Duration.ofHours(24)));
        }
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(log).anyMatch(l -> l.contains("Argo CD Application " + argo.namespace() + "/fleet-apps refreshed"));
        assertThat(sshKeys(argo.user()))
                .as("deleted at once: deleteAfter 0, and Argo CD works with the new key")
                .extracting(SSHPublicKeyMetadata::sshPublicKeyId)
                .containsExactly(result.newId());
    }

    @Test
    void anApplicationThatCannotFetchWithTheNewKeyRollsTheRotationBack() {
        ArgoSshRepository argo = argoSshRepository();
        // Argo CD trusts another host key for the server: it cannot fetch, whatever the key.
        String wrongHost = "[127.0.0.1]:" + SSH.port() + " "
                + SshKeyPair.generateRsa(2048).publicKeyOpenSsh().split(" ")[0] + " "
                + SshKeyPair.generateRsa(2048).publicKeyOpenSsh().split(" ")[1];
        try (var controller = new ArgoCdController(k8s(), argo.namespace(), wrongHost)) {
            controller.application("fleet-apps", SSH.url(argo.keyId(), argo.repo()));
            assertThatThrownBy(() -> rotate(argoRequest(argo, Duration.ofHours(24))))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("cannot reach the repository with the new credential");
        }
        assertThat(secretData(argo.namespace(), "repo-fleet"))
                .containsEntry("url", SSH.url(argo.keyId(), argo.repo()))
                .containsEntry("sshPrivateKey", argo.key().privateKeyPem().reveal());
        assertThat(sshKeys(argo.user()))
                .extracting(SSHPublicKeyMetadata::sshPublicKeyId)
                .containsExactly(argo.keyId());
    }

    @Test
    void withoutAnApplicationOfTheRepositoryTheOldKeyWaitsOutTheGracePeriod() {
        ArgoSshRepository argo = argoSshRepository();
        RotationResult result;
        try (var controller = new ArgoCdController(k8s(), argo.namespace(), SSH.knownHostsLine())) {
            controller.application("other-apps", "ssh://" + argo.keyId() + "@example.invalid/v1/repos/other");
            result = rotate(argoRequest(argo, Duration.ofHours(24)));
        }
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(result.message()).contains(argo.keyId() + " stays active until");
        assertThat(sshKeys(argo.user()))
                .filteredOn(k -> k.statusAsString().equals("Active"))
                .extracting(SSHPublicKeyMetadata::sshPublicKeyId)
                .containsExactlyInAnyOrder(argo.keyId(), result.newId());
    }
}
