package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * What a rotation refuses before its first change, and what it puts right after a kill: each test
 * here failed before its fix (issue 10, defects 3, 4, 5 and 10).
 */
class RotationRefusalsTest extends RotationFixture {
    /** Defect 5: accessKeyId=AWS_ACCESS_KEY_Id where the secret has AWS_ACCESS_KEY_ID. */
    @Test
    void aKeyMappingNamingADataKeyTheSecretLacksIsRefusedBeforeAnyChange() {
        AccessKeyCluster c = accessKeyCluster();
        Map<String, String> before = secretData(c.namespace(), "codecommit");
        RotationRequest good = accessKeyRequest(c, true, null, false, Duration.ZERO);
        RotationRequest typo = with(
                good,
                List.of(new RotationTarget.NamedSecret(
                        c.namespace(),
                        "codecommit",
                        Map.of("accessKeyId", "AWS_ACCESS_KEY_Id", "secretAccessKey", "AWS_SECRET_ACCESS_KEY"),
                        Map.of())),
                good.maxAge(),
                good.force());

        Throwable refused = catchThrowable(() -> rotate(typo));

        assertThat(refused)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'AWS_ACCESS_KEY_Id'")
                .hasMessageContaining("[AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]");
        assertThat(((InvalidInputException) refused).fix()).contains("accessKeyId=AWS_ACCESS_KEY_ID");
        assertThat(secretData(c.namespace(), "codecommit")).isEqualTo(before);
        assertThat(annotations(c.namespace(), "codecommit"))
                .as("not even the lease")
                .isEmpty();
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
    }

    /** Defect 4: without the Kustomization that applies gotk-sync.yaml, Flux would revert the new URL. */
    @Test
    void anSshRotationOfAFluxSourceWithoutItsKustomizationIsRefusedBeforeAnyChange() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        Map<String, String> state = annotations(c.namespace(), "flux-system");
        k8s().genericKubernetesResources(FluxCluster.KUSTOMIZATION)
                .inNamespace(c.namespace())
                .withName(c.namespace())
                .delete();

        Throwable refused = catchThrowable(() -> rotate(sshRequest(c)));

        assertThat(refused)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No Kustomization " + c.namespace() + "/" + c.namespace());
        assertUntouched(c, state);
    }

    /** Defect 4: the Kustomization applies another path, whose gotk-sync.yaml does not name the URL. */
    @Test
    void anSshRotationWhoseSyncFileDoesNotNameTheUrlIsRefusedBeforeAnyChange() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        Map<String, String> state = annotations(c.namespace(), "flux-system");
        k8s().genericKubernetesResources(FluxCluster.KUSTOMIZATION)
                .inNamespace(c.namespace())
                .withName(c.namespace())
                .edit(k -> {
                    ClusterObjects.spec(k).put("path", "./clusters/elsewhere");
                    return k;
                });

        Throwable refused = catchThrowable(() -> rotate(sshRequest(c)));

        assertThat(refused)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("clusters/elsewhere/" + c.namespace() + "/gotk-sync.yaml")
                .hasMessageContaining("does not name");
        assertUntouched(c, state);
    }

    /**
     * Defect 3: killed once the new key ID is pushed to gotk-sync.yaml, before the cluster is written.
     * The rerun puts the old key ID back into Git before it removes the new key: Git never names a
     * deleted key.
     */
    @Test
    void aKillAfterTheNewKeyIdIsPushedIsRevertedInGitBeforeTheNewKeyIsRemoved() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        ProgressListener killing = message -> {
            log.add(message);
            if (message.startsWith("Committed the new key ID")) {
                throw new RotationFaultInjectionTest.Killed(message);
            }
        };
        Throwable killed = catchThrowable(
                () -> new Rotation(sshRequest(c), Map.of(), Clock.systemUTC()).call(killing, CredentialSink.none()));
        assertThat(killed).isInstanceOf(RotationFaultInjectionTest.Killed.class);
        try (var r = SSH.open(c.repo())) {
            assertThat(BootstrapFiles.read(r, "clusters/prod/" + c.namespace() + "/gotk-sync.yaml"))
                    .as("the kill came after the push")
                    .doesNotContain("ssh://" + c.keyId() + "@");
        }

        RotationRequest due = sshRequest(c);
        RotationResult rerun = rotate(withMaxAge(due, Duration.ofDays(365)));

        assertThat(rerun.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertOnTheOldKey(c);
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .as("the interrupted run's key is gone")
                .hasSize(1);
    }

    /**
     * Defect 7: IAM created the SSH key but its answer was lost, so the run recorded no key ID. With
     * the local clock two minutes ahead of IAM's, a creation-time window misses that key; the IDs
     * recorded before the create do not.
     */
    @Test
    void aKeyCreatedByAnInterruptedRunIsFoundByTheRecordedIdsWhateverTheClock() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
        java.util.function.UnaryOperator<IamCredentials> losing = iam -> new ForwardingIam(iam) {
            @Override
            public NewCredential create(String user, CredentialKind kind) {
                iam.create(user, kind);
                throw new RemoteOperationException("IAM's answer was lost", "retry");
            }
        };
        Throwable lost = catchThrowable(
                () -> new Rotation(sshRequest(c), Map.of(), ahead, losing).call(log::add, CredentialSink.none()));
        assertThat(lost).hasMessageContaining("answer was lost");
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .as("IAM holds the key the run never heard of")
                .hasSize(2);

        RotationResult rerun = new Rotation(withMaxAge(sshRequest(c), Duration.ofDays(365)), Map.of(), ahead)
                .call(log::add, CredentialSink.none());

        assertThat(rerun.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .extracting(k -> k.sshPublicKeyId())
                .as("the orphan is gone, the key in use stays")
                .containsExactly(c.keyId());
        assertOnTheOldKey(c);
    }

    /** Defect 10: an error that is not the engine's own fails its cluster's row, not the fleet. */
    @Test
    void anUnexpectedErrorInOneClusterOfAFleetFailsOnlyItsRow() {
        AccessKeyCluster broken = accessKeyCluster();
        AccessKeyCluster fine = accessKeyCluster();
        // State no run of this product writes: a start time that is not a time.
        k8s().secrets().inNamespace(broken.namespace()).withName("codecommit").edit(s -> {
            s.getMetadata().setAnnotations(Map.of(Rotation.PHASE, "creating", Rotation.STARTED, "yesterday"));
            return s;
        });
        FleetRotation fleet = new FleetRotation(
                List.of(
                        accessKeyRequest(broken, true, null, false, Duration.ZERO),
                        accessKeyRequest(fine, true, null, false, Duration.ZERO)),
                2,
                Map.of(),
                Clock.systemUTC());

        List<RotationResult> results = fleet.call(log::add, r -> CredentialSink.none());

        assertThat(results.get(0).outcome()).isEqualTo(RotationResult.Outcome.FAILED);
        assertThat(results.get(0).failure())
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("unexpected error");
        assertThat(results.get(1).outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        secretWorks(fine);
        secretWorks(broken);
        assertThat(keys(broken.user()))
                .filteredOn(k -> k.status() == StatusType.ACTIVE)
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(broken.first().accessKeyId());
    }

    /** Git, the cluster and IAM as before, and no state annotation written, not even the lease. */
    private void assertUntouched(SshFluxCluster c, Map<String, String> state) throws IOException {
        assertOnTheOldKey(c);
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .hasSize(1);
        assertThat(annotations(c.namespace(), "flux-system")).isEqualTo(state);
    }

    private static Map<String, String> annotations(String ns, String name) {
        var a = k8s().secrets()
                .inNamespace(ns)
                .withName(name)
                .get()
                .getMetadata()
                .getAnnotations();
        return a == null ? Map.of() : a;
    }

    /** The request with other targets, maximum age and force. */
    private static RotationRequest with(
            RotationRequest r, List<RotationTarget> targets, Duration maxAge, boolean force) {
        return new RotationRequest(
                r.name(),
                r.kind(),
                r.user(),
                r.identity(),
                r.region(),
                r.cluster(),
                targets,
                r.repositoryUrl(),
                maxAge,
                force,
                r.dryRun(),
                r.deleteAfter(),
                r.verifyTimeout(),
                r.pollInterval(),
                r.aws(),
                r.deactivateAfter());
    }

    private static RotationRequest withMaxAge(RotationRequest r, Duration maxAge) {
        return with(r, r.targets(), maxAge, false);
    }
}
