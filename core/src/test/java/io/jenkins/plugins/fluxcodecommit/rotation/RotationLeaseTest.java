package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/** Defects 6 and 8: the lease fences every state write and is renewed; a store still owed the new credential. */
class RotationLeaseTest extends RotationFixture {

    private static void setLease(AccessKeyCluster c, String lease) {
        k8s().secrets().inNamespace(c.namespace()).withName("codecommit").edit(s -> {
            if (lease == null) {
                s.getMetadata().getAnnotations().remove(Rotation.LOCK);
            } else {
                s.getMetadata().getAnnotations().put(Rotation.LOCK, lease);
            }
            return s;
        });
    }

    private static Map<String, String> state(AccessKeyCluster c) {
        var a = k8s().secrets()
                .inNamespace(c.namespace())
                .withName("codecommit")
                .get()
                .getMetadata()
                .getAnnotations();
        return a == null ? Map.of() : a;
    }

    @Test
    void aRunWhoseLeaseWasTakenOverStopsBeforeWritingAnyTarget() {
        AccessKeyCluster c = accessKeyCluster();
        String other = "other-run " + Instant.now().plus(Duration.ofMinutes(30));
        RotationRequest request = accessKeyRequest(c, true, null, false, Duration.ZERO);
        Rotation paused = new Rotation(request, Map.of(), Clock.systemUTC(), iam -> new ForwardingIam(iam) {
            @Override
            public NewCredential create(String user, CredentialKind kind) {
                NewCredential created = super.create(user, kind);
                // Paused past its lease, meanwhile another run took the cluster over.
                setLease(c, other);
                return created;
            }
        });

        assertThatThrownBy(() -> paused.call(log::add, CredentialSink.none()))
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("lost the rotation lease");

        assertThat(secretData(c.namespace(), "codecommit"))
                .containsEntry("AWS_ACCESS_KEY_ID", c.first().accessKeyId());
        assertThat(state(c)).as("the other run's lease is left to it").containsEntry(Rotation.LOCK, other);
        // Once the other run is gone, the next run removes the key the paused one created.
        setLease(c, null);
        RotationResult rerun = rotate(request);
        assertThat(rerun.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(rerun.newId());
        secretWorks(c);
    }

    @Test
    void aLiveRunRenewsItsLeaseSoASecondRunStaysOutPastTheLeaseDuration() throws Exception {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request = accessKeyRequest(c, true, null, false, Duration.ZERO);
        CountDownLatch creating = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        Rotation slow = new Rotation(request, Map.of(), Clock.systemUTC(), iam -> new ForwardingIam(iam) {
                    @Override
                    public NewCredential create(String user, CredentialKind kind) {
                        creating.countDown();
                        try {
                            resume.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return super.create(user, kind);
                    }
                })
                .withLeaseTtl(Duration.ofSeconds(1));
        CompletableFuture<RotationResult> first =
                CompletableFuture.supplyAsync(() -> slow.call(log::add, CredentialSink.none()));
        assertThat(creating.await(20, TimeUnit.SECONDS)).isTrue();
        String leaseThen = state(c).get(Rotation.LOCK);
        Thread.sleep(2500);

        assertThatThrownBy(() -> rotate(request))
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("Another rotation of " + c.namespace() + " is running");
        assertThat(state(c).get(Rotation.LOCK))
                .as("renewed: same run, later expiry")
                .isNotEqualTo(leaseThen)
                .startsWith(leaseThen.split(" ")[0] + " ");

        resume.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(state(c)).doesNotContainKey(Rotation.LOCK);
        secretWorks(c);
    }

    /** A sink for the Jenkins credential 'prod' whose controller may die before it stores the credential. */
    private static CredentialSink jenkins(List<NewCredential> stored, boolean dies) {
        return new CredentialSink() {
            @Override
            public void accept(NewCredential credential) {
                if (dies) {
                    throw new IllegalStateException("the controller went away");
                }
                stored.add(credential);
            }

            @Override
            public String store() {
                return "the Jenkins credential 'prod'";
            }
        };
    }

    @Test
    void aRotationStillOwedToTheJenkinsCredentialIsNotRetiredByAnotherCaller() {
        AccessKeyCluster c = accessKeyCluster();
        RotationRequest request = accessKeyRequest(c, true, null, false, Duration.ZERO);
        List<NewCredential> stored = new ArrayList<>();
        assertThatThrownBy(
                        () -> new Rotation(request, Map.of(), Clock.systemUTC()).call(log::add, jenkins(stored, true)))
                .isInstanceOf(IllegalStateException.class);
        String newId = secretData(c.namespace(), "codecommit").get("AWS_ACCESS_KEY_ID");
        assertThat(newId).isNotEqualTo(c.first().accessKeyId());
        assertThat(state(c)).containsEntry(RotationState.OWED, "the Jenkins credential 'prod'");

        // The command line (no store) resumes: the targets are on the new key, the Jenkins credential is not.
        assertThatThrownBy(() -> rotate(request))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the Jenkins credential 'prod'")
                .hasMessageContaining("the old credential stays active");
        assertThat(keys(c.user()))
                .filteredOn(k -> k.accessKeyId().equals(c.first().accessKeyId()))
                .extracting(AccessKeyMetadata::status)
                .containsExactly(StatusType.ACTIVE);

        // The job that started it resumes: its credential gets the new key, and only then the old one goes.
        RotationResult resumed =
                new Rotation(request, Map.of(), Clock.systemUTC()).call(log::add, jenkins(stored, false));
        assertThat(resumed.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(stored).extracting(NewCredential::id).containsExactly(newId);
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(newId);
        assertThat(state(c)).doesNotContainKey(RotationState.OWED);
    }
}
