package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Workloads;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The old credential is retired only on evidence that the consumers use the new one, or after a
 * grace period: the seed case is an access key in a named secret that an application reads at start-up.
 */
class RotationEvidenceTest extends RotationFixture {

    private static RotationRequest withGrace(RotationRequest r, Duration deactivateAfter, List<String> restart) {
        RotationTarget.NamedSecret named =
                (RotationTarget.NamedSecret) r.targets().get(0);
        return new RotationRequest(
                r.name(),
                r.kind(),
                r.user(),
                r.identity(),
                r.region(),
                r.cluster(),
                List.of(named.withRestart(restart)),
                r.repositoryUrl(),
                r.maxAge(),
                r.force(),
                r.dryRun(),
                r.deleteAfter(),
                Duration.ofSeconds(5),
                r.pollInterval(),
                r.aws(),
                deactivateAfter);
    }

    private RotationResult rotate(RotationRequest request, Clock clock) {
        return new Rotation(request, Map.of(), clock).call(log::add, CredentialSink.none());
    }

    private static StatusType status(String user, String id) {
        return keys(user).stream()
                .filter(k -> k.accessKeyId().equals(id))
                .map(AccessKeyMetadata::status)
                .findFirst()
                .orElse(null);
    }

    @Test
    void withoutEvidenceTheOldKeyStaysActiveUntilTheGracePeriodIsOver() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request =
                withGrace(accessKeyRequest(c, true, null, false, Duration.ZERO), Duration.ofHours(24), List.of());

        RotationResult first = rotate(request);
        assertThat(first.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(first.message()).contains(c.first().accessKeyId() + " stays active until");
        assertThat(secretData(c.namespace(), "codecommit")).containsEntry("AWS_ACCESS_KEY_ID", first.newId());
        assertThat(status(c.user(), c.first().accessKeyId()))
                .as("nothing says the application re-read its secret")
                .isEqualTo(StatusType.ACTIVE);

        // A scheduled run within the grace period leaves it so; once it is over, the old key goes.
        RotationResult early = rotate(request, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        assertThat(early.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(status(c.user(), c.first().accessKeyId())).isEqualTo(StatusType.ACTIVE);
        RotationResult late = rotate(request, Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
        assertThat(late.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(keys(c.user()))
                .as("the zero deleteAfter of the request deletes it once deactivated")
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(first.newId());
        assertThat(secretData(c.namespace(), "codecommit")).containsEntry("AWS_ACCESS_KEY_ID", first.newId());
    }

    @Test
    void iamReportingTheNewKeyUsedAfterTheWriteIsEvidenceToRetireTheOldAtOnce() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request =
                withGrace(accessKeyRequest(c, true, null, false, null), Duration.ofHours(24), List.of());
        RotationResult result;
        try (var app = Workloads.keyUser(k8s(), MOTO, c.namespace(), "codecommit", KEY_NAMES, true)) {
            result = rotate(request);
        }
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(log).anyMatch(l -> l.contains("IAM reports " + result.newId() + " used at") && l.contains("by iam"));
        assertThat(status(c.user(), c.first().accessKeyId())).isEqualTo(StatusType.INACTIVE);
        assertThat(status(c.user(), result.newId())).isEqualTo(StatusType.ACTIVE);
    }

    @Test
    void anApplicationStillOnTheOldKeyAfterTheGracePeriodKeepsItActive() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request =
                withGrace(accessKeyRequest(c, true, null, false, Duration.ZERO), Duration.ofHours(24), List.of());
        RotationResult[] first = new RotationResult[1];
        // An application that read the key at start-up keeps signing with the old one.
        try (var app = Workloads.keyUser(k8s(), MOTO, c.namespace(), "codecommit", KEY_NAMES, false)) {
            // The rotation is dated a day ago: its grace period is over now.
            Clock dayAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-24).minusMinutes(1));
            first[0] = rotate(request, dayAgo);
            assertThat(status(c.user(), c.first().accessKeyId())).isEqualTo(StatusType.ACTIVE);
            awaitUsed(c.user(), c.first().accessKeyId());
            assertThatThrownBy(() -> rotate(request))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining(
                            "IAM reports the old access key " + c.first().accessKeyId() + " used at")
                    .hasMessageContaining("a consumer still uses it");
        }
        assertThat(status(c.user(), c.first().accessKeyId())).isEqualTo(StatusType.ACTIVE);
        assertThat(status(c.user(), first[0].newId())).isEqualTo(StatusType.ACTIVE);
    }

    @Test
    void restartedDeploymentsThatBecomeReadyAreEvidence() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request =
                withGrace(accessKeyRequest(c, true, null, false, null), Duration.ofHours(24), List.of("api"));
        RotationResult result;
        try (var api = Workloads.deployment(k8s(), c.namespace(), "api", Workloads.Rollout.READY)) {
            awaitObserved(c.namespace(), "api");
            result = rotate(request);
        }
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(k8s().apps()
                        .deployments()
                        .inNamespace(c.namespace())
                        .withName("api")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
        assertThat(status(c.user(), c.first().accessKeyId())).isEqualTo(StatusType.INACTIVE);
    }

    @Test
    void aRestartThatNeverBecomesReadyRollsBackToTheOldKey() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request =
                withGrace(accessKeyRequest(c, true, null, false, null), Duration.ofHours(24), List.of("api"));
        try (var api = Workloads.deployment(k8s(), c.namespace(), "api", Workloads.Rollout.NEVER_READY)) {
            awaitObserved(c.namespace(), "api");
            assertThatThrownBy(() -> rotate(request))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("Deployment/" + c.namespace() + "/api is not ready");
        }
        assertThat(secretData(c.namespace(), "codecommit"))
                .containsEntry("AWS_ACCESS_KEY_ID", c.first().accessKeyId());
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
        secretWorks(c);
    }

    @Test
    void aDeploymentToRestartThatDoesNotExistIsRefusedBeforeAnyChange() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request =
                withGrace(accessKeyRequest(c, true, null, false, null), Duration.ofHours(24), List.of("apii"));
        assertThatThrownBy(() -> rotate(request))
                .isInstanceOf(io.jenkins.plugins.fluxcodecommit.error.InvalidInputException.class)
                .hasMessageContaining("There is no Deployment " + c.namespace() + "/apii");
        assertThat(k8s().secrets()
                        .inNamespace(c.namespace())
                        .withName("codecommit")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .as("not even the lease")
                .isNullOrEmpty();
        assertThat(keys(c.user())).hasSize(1);
    }

    private static void awaitObserved(String ns, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var d = k8s().apps().deployments().inNamespace(ns).withName(name).get();
            if (d.getStatus() != null && d.getStatus().getObservedGeneration() != null) {
                return;
            }
            pause();
        }
        throw new AssertionError("the Deployment never came up");
    }

    private static void awaitUsed(String user, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var used = admin.getAccessKeyLastUsed(b -> b.accessKeyId(id)).accessKeyLastUsed();
            if (used != null
                    && used.lastUsedDate() != null
                    && used.lastUsedDate().isAfter(java.time.Instant.now().minusSeconds(5))) {
                return;
            }
            pause();
        }
        throw new AssertionError("the application never used " + id + " for " + user);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
