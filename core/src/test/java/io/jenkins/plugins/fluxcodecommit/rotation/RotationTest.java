package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/** Rotation end to end: moto (IAM, STS), a real kube-apiserver, and the SSH Git server trusting moto's IAM. */
class RotationTest extends RotationFixture {
    @Test
    void accessKeyRotationLeavesTheClusterOnANewKeyAndDeletesTheOld() {
        AccessKeyCluster c = accessKeyCluster();
        List<NewCredential> handedBack = new ArrayList<>();
        RotationResult result = new Rotation(
                        accessKeyRequest(c, true, null, false, Duration.ZERO), Map.of(), Clock.systemUTC())
                .call(log::add, handedBack::add);
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(result.oldId()).isEqualTo(c.first().accessKeyId());
        assertThat(result.newId()).isNotEqualTo(c.first().accessKeyId()).startsWith("AKIA");
        assertThat(secretData(c.namespace(), "codecommit"))
                .containsEntry("AWS_ACCESS_KEY_ID", result.newId())
                .containsEntry("AWS_REGION", "us-east-1");
        secretWorks(c);
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(result.newId());
        assertThat(handedBack).singleElement().satisfies(n -> assertThat(n.id()).isEqualTo(result.newId()));
        assertThat(result.iamCalls()).as("IAM calls excluding polling").isLessThanOrEqualTo(8);
        assertThat(k8s().secrets()
                        .inNamespace(c.namespace())
                        .withName("codecommit")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(Rotation.PHASE, "done")
                .containsEntry(Rotation.PREVIOUS, c.first().accessKeyId());
    }

    @Test
    void withoutDeleteTheOldKeyStaysInactiveUntilALaterRunPastTheGracePeriod() {
        AccessKeyCluster c = accessKeyCluster();
        RotationResult first = rotate(accessKeyRequest(c, true, null, false, null));
        assertThat(keys(c.user()))
                .filteredOn(k -> k.accessKeyId().equals(c.first().accessKeyId()))
                .singleElement()
                .satisfies(k -> assertThat(k.status()).isEqualTo(StatusType.INACTIVE));
        // A later scheduled run, not due for rotation, deletes the inactive key once the grace period is over.
        RotationResult later = rotate(accessKeyRequest(c, false, Duration.ofDays(365), false, Duration.ofMillis(1)));
        assertThat(later.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(first.newId());
    }

    @Test
    void theTwoKeyLimitIsHandledByRemovingTheUnusedKeyNeverTheOneInUse() {
        AccessKeyCluster c = accessKeyCluster();
        String spare =
                admin.createAccessKey(b -> b.userName(c.user())).accessKey().accessKeyId();
        admin.updateAccessKey(b -> b.userName(c.user()).accessKeyId(spare).status(StatusType.INACTIVE));
        RotationResult result = rotate(accessKeyRequest(c, true, null, false, null));
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactlyInAnyOrder(c.first().accessKeyId(), result.newId())
                .doesNotContain(spare);
        assertThat(log).anyMatch(m -> m.contains("Deleted " + spare + " (inactive) to make room"));
        secretWorks(c);
    }

    @Test
    void aSecondKeyThatIsActiveAndUsedElsewhereStopsTheRotationBeforeAnyChange() {
        AccessKeyCluster c = accessKeyCluster();
        String other =
                admin.createAccessKey(b -> b.userName(c.user())).accessKey().accessKeyId();
        // moto records no last use; this decorator reports the other key as used, as IAM would.
        UnaryOperator<IamCredentials> usedElsewhere = iam -> new ForwardingIam(iam) {
            @Override
            public List<IamCredential> list(String user, CredentialKind kind) {
                return iam.list(user, kind).stream()
                        .map(k -> k.id().equals(other)
                                ? new IamCredential(k.id(), k.active(), k.created(), Instant.now())
                                : k)
                        .toList();
            }
        };
        assertThatThrownBy(() -> new Rotation(
                                accessKeyRequest(c, true, null, false, null),
                                Map.of(),
                                Clock.systemUTC(),
                                usedElsewhere)
                        .call(log::add, CredentialSink.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has 2 ACCESS_KEYs (the IAM limit)")
                .hasMessageContaining(other)
                .hasMessageContaining("aws iam update-access-key");
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactlyInAnyOrder(c.first().accessKeyId(), other);
        secretWorks(c);
    }

    @Test
    void aKeyYoungerThanTheMaximumAgeIsNotRotated() {
        AccessKeyCluster c = accessKeyCluster();
        RotationResult result = rotate(accessKeyRequest(c, false, Duration.ofDays(365), false, Duration.ZERO));
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
    }

    @Test
    void aDryRunPlansAndChangesNothing() {
        AccessKeyCluster c = accessKeyCluster();
        RotationResult result = rotate(accessKeyRequest(c, true, null, true, Duration.ZERO));
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.PLANNED);
        assertThat(result.message())
                .contains("create a new ACCESS_KEY")
                .contains("deactivate " + c.first().accessKeyId());
        assertThat(keys(c.user())).hasSize(1);
        assertThat(secretData(c.namespace(), "codecommit"))
                .containsEntry("AWS_ACCESS_KEY_ID", c.first().accessKeyId());
    }

    @Test
    void sshKeyRotationMovesFluxToTheNewKeyIdInGitAndTheClusterTogether() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        try (var controllers = new FluxControllers(
                k8s(), c.namespace(), "main", () -> head(c.repo()), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            RotationResult result = rotate(sshRequest(c));
            assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
            assertThat(result.oldId()).isEqualTo(c.keyId());
            String newId = result.newId();
            assertThat(newId).isNotEqualTo(c.keyId());
            // Git, the GitRepository and the secret all moved to the new key ID, and Flux fetched with it.
            try (var r = SSH.open(c.repo())) {
                assertThat(BootstrapFiles.read(r, "clusters/prod/" + c.namespace() + "/gotk-sync.yaml"))
                        .contains("ssh://" + newId + "@");
            }
            var gitRepository = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                    .inNamespace(c.namespace())
                    .withName(c.namespace())
                    .get();
            assertThat(gitRepository.getAdditionalProperties().get("spec").toString())
                    .contains(newId + "@");
            assertThat(gitRepository.getAdditionalProperties().get("status").toString())
                    .contains("status=True");
            assertThat(SshKeyPair.parse(
                                    Secret.of(secretData(c.namespace(), "flux-system")
                                            .get("identity")),
                                    null)
                            .bits())
                    .isEqualTo(4096);
            assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                    .extracting(k -> k.sshPublicKeyId())
                    .containsExactly(newId);
        }
    }

    @Test
    void noSecretReachesTheLogTheResultOrTheStateAnnotations() {
        AccessKeyCluster c = accessKeyCluster();
        List<NewCredential> made = new ArrayList<>();
        RotationResult result = new Rotation(
                        accessKeyRequest(c, true, null, false, Duration.ZERO), Map.of(), Clock.systemUTC())
                .call(log::add, made::add);
        List<String> secrets = List.of(
                c.first().secretAccessKey().reveal(), made.get(0).secret().reveal());
        var annotations = k8s().secrets()
                .inNamespace(c.namespace())
                .withName("codecommit")
                .get()
                .getMetadata()
                .getAnnotations();
        for (String secret : secrets) {
            assertThat(String.join("\n", log)).doesNotContain(secret);
            assertThat(result.toString()).doesNotContain(secret);
            assertThat(made.get(0).toString()).doesNotContain(secret);
            assertThat(annotations.toString()).doesNotContain(secret);
        }
        // A failing run's message holds no secret either.
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> new Rotation(
                        new RotationRequest(
                                c.namespace(),
                                CredentialKind.ACCESS_KEY,
                                "no-such-user-" + c.user(),
                                AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                                "us-east-1",
                                CLUSTER.target(),
                                List.of(new RotationTarget.NamedSecret(c.namespace(), "codecommit", KEY_NAMES, null)),
                                null,
                                null,
                                true,
                                false,
                                Duration.ZERO,
                                Duration.ofSeconds(5),
                                Duration.ofMillis(100),
                                AwsSettings.defaults()
                                        .withStsEndpoint(MOTO.endpoint())
                                        .withIamEndpoint(MOTO.endpoint())),
                        Map.of(),
                        Clock.systemUTC())
                .call(log::add, CredentialSink.none()));
        assertThat(failure).isInstanceOf(InvalidInputException.class);
        for (String secret : secrets) {
            assertThat(failure.getMessage()).doesNotContain(secret);
        }
    }

    @Test
    void sshKeyRotationUpdatesAnArgoCdRepositorySecretsKeyAndUrlTogether() throws IOException {
        ArgoSshRepository argo = argoSshRepository();
        String user = argo.user();
        String repo = argo.repo();
        String ns = argo.namespace();
        RotationResult result = rotate(argoRequest(argo, Duration.ZERO));
        Map<String, String> data = secretData(ns, "repo-fleet");
        assertThat(data.get("url")).isEqualTo(SSH.url(result.newId(), repo));
        assertThat(data).containsEntry("type", "git");
        // The new key, under the new key ID, really reaches the repository.
        try (var git = io.jenkins.plugins.fluxcodecommit.git.GitAccess.builder(
                        io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl.parse(data.get("url")),
                        new io.jenkins.plugins.fluxcodecommit.git.GitAuth.SshKey(
                                Secret.of(data.get("sshPrivateKey")), null, SSH.knownHostsLine()))
                .open()) {
            git.lsRemote();
        }
        assertThat(admin.listSSHPublicKeys(b -> b.userName(user)).sshPublicKeys())
                .extracting(k -> k.sshPublicKeyId())
                .containsExactly(result.newId());
    }

    @Test
    void whenFluxCannotFetchWithTheNewKeyEverythingIsRolledBackGitIncluded() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        try (var failing = new FluxControllers(
                k8s(), c.namespace(), "main", () -> head(c.repo()), FluxControllers.Mode.SOURCE_AUTH_FAILS)) {
            assertThatThrownBy(() -> rotate(sshRequest(c)))
                    .hasMessageContaining("is not Ready with the new credential");
        }
        assertThat(log).anyMatch(m -> m.startsWith("Reverted clusters/prod/" + c.namespace() + "/gotk-sync.yaml"));
        assertOnTheOldKey(c);
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .hasSize(1);
    }

    @Test
    void aRollbackCutShortIsFinishedByTheNextRunWithoutTouchingTheKeyInUse() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        // Flux cannot fetch with the new key, and IAM refuses the rollback's delete of it.
        UnaryOperator<IamCredentials> deleteFails = iam -> new ForwardingIam(iam) {
            @Override
            public void delete(String user, CredentialKind kind, String id) {
                throw new IllegalStateException("injected DeleteSSHPublicKey failure");
            }
        };
        try (var failing = new FluxControllers(
                k8s(), c.namespace(), "main", () -> head(c.repo()), FluxControllers.Mode.SOURCE_AUTH_FAILS)) {
            assertThatThrownBy(() -> new Rotation(sshRequest(c), Map.of(), Clock.systemUTC(), deleteFails)
                            .call(log::add, CredentialSink.none()))
                    .hasMessageContaining("is not Ready with the new credential");
        }
        assertThat(log).anyMatch(m -> m.contains("The rollback did not finish"));
        // The next scheduled run, not due by age: it removes the new key and keeps the one in use.
        RotationRequest request = sshRequest(c);
        RotationResult next = rotate(new RotationRequest(
                request.name(),
                request.kind(),
                request.user(),
                request.identity(),
                request.region(),
                request.cluster(),
                request.targets(),
                null,
                Duration.ofDays(365),
                false,
                false,
                request.deleteAfter(),
                request.verifyTimeout(),
                request.pollInterval(),
                request.aws()));
        assertThat(next.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertOnTheOldKey(c);
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .hasSize(1);
    }

    @Test
    void aRefusedGitPushOfTheNewKeyIdChangesNothingAnywhere() throws IOException {
        SshFluxCluster c = sshFluxCluster();
        SSH.refusePushes(true);
        try (var controllers = new FluxControllers(
                k8s(), c.namespace(), "main", () -> head(c.repo()), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            assertThatThrownBy(() -> rotate(sshRequest(c))).isNotNull();
        } finally {
            SSH.refusePushes(false);
        }
        assertOnTheOldKey(c);
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .hasSize(1);
    }

    @Test
    void aRotationHoldingTheLeaseElsewhereKeepsASecondRunOut() {
        AccessKeyCluster c = accessKeyCluster();
        var s = k8s().secrets()
                .inNamespace(c.namespace())
                .withName("codecommit")
                .get();
        s.getMetadata()
                .setAnnotations(new java.util.HashMap<>(Map.of(
                        Rotation.LOCK, "other-run " + Instant.now().plus(Duration.ofMinutes(30)) + " agent-7:4242")));
        k8s().secrets().inNamespace(c.namespace()).resource(s).update();
        assertThatThrownBy(() -> rotate(accessKeyRequest(c, true, null, false, Duration.ZERO)))
                .hasMessageContaining("Another rotation of " + c.namespace() + " is running")
                .hasMessageContaining("agent-7:4242");
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
        // Once the lease lapses, the next run goes ahead.
        s = k8s().secrets().inNamespace(c.namespace()).withName("codecommit").get();
        s.getMetadata()
                .getAnnotations()
                .put(Rotation.LOCK, "other-run " + Instant.now().minusSeconds(1) + " agent-7:4242");
        k8s().secrets().inNamespace(c.namespace()).resource(s).update();
        assertThat(rotate(accessKeyRequest(c, true, null, false, Duration.ZERO)).outcome())
                .isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(k8s().secrets()
                        .inNamespace(c.namespace())
                        .withName("codecommit")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .doesNotContainKey(Rotation.LOCK);
    }
}
