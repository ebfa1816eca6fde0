package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/** Defect 1: clusters that share one IAM user get one new credential, in every one, before the old retires. */
class SharedUserRotationTest extends RotationFixture {

    /** Two namespaces of the test API server, each its own cluster in the fleet, holding one user's key. */
    private static List<AccessKeyCluster> sharing(int clusters) {
        String user = unique("shared-user");
        AwsKeys key = MOTO.createUserWithKey(user);
        List<AccessKeyCluster> out = new ArrayList<>();
        for (int i = 0; i < clusters; i++) {
            String ns = unique("shared");
            Clusters.keySecret(k8s(), ns, key);
            out.add(new AccessKeyCluster(user, ns, key));
        }
        return out;
    }

    @Test
    void aFleetRotatesASharedUserOnceAndEveryClusterEndsOnTheNewKey() {
        List<AccessKeyCluster> shared = sharing(2);
        AccessKeyCluster alone = accessKeyCluster();
        List<RotationRequest> requests = new ArrayList<>();
        shared.forEach(c -> requests.add(accessKeyRequest(c, true, null, false, Duration.ZERO)));
        requests.add(accessKeyRequest(alone, true, null, false, Duration.ZERO));

        List<RotationResult> results =
                new FleetRotation(requests, 4, Map.of(), Clock.systemUTC()).call(log::add, r -> CredentialSink.none());

        assertThat(results).extracting(RotationResult::outcome).containsOnly(RotationResult.Outcome.ROTATED);
        String newId = results.get(0).newId();
        assertThat(results.get(1).newId()).as("one new key for the shared user").isEqualTo(newId);
        for (AccessKeyCluster c : shared) {
            assertThat(secretData(c.namespace(), "codecommit")).containsEntry("AWS_ACCESS_KEY_ID", newId);
            secretWorks(c);
        }
        assertThat(keys(shared.get(0).user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(newId);
        secretWorks(alone);
        assertThat(results.get(2).newId()).isNotEqualTo(newId);
    }

    @Test
    void theOldKeyIsRetiredOnlyOnceEverySharingClusterHoldsTheNewOne() {
        List<AccessKeyCluster> shared = sharing(3);
        List<RotationRequest> requests = shared.stream()
                .map(c -> accessKeyRequest(c, true, null, false, Duration.ZERO))
                .toList();
        AtomicBoolean checked = new AtomicBoolean();
        List<String> heldAtRetirement = new ArrayList<>();
        List<RotationResult> results = Rotation.shared(
                        requests, Map.of(), Clock.systemUTC(), iam -> new ForwardingIam(iam) {
                            @Override
                            public void setActive(String user, CredentialKind kind, String id, boolean active) {
                                if (!active && id.equals(shared.get(0).first().accessKeyId())) {
                                    shared.forEach(c -> heldAtRetirement.add(secretData(c.namespace(), "codecommit")
                                            .get("AWS_ACCESS_KEY_ID")));
                                    checked.set(true);
                                }
                                super.setActive(user, kind, id, active);
                            }
                        })
                .callAll(r -> log::add, r -> CredentialSink.none());

        assertThat(checked).as("the old key was deactivated").isTrue();
        assertThat(heldAtRetirement).containsOnly(results.get(0).newId()).hasSize(3);
        assertThat(keys(shared.get(0).user()))
                .filteredOn(k -> k.status() == StatusType.ACTIVE)
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(results.get(0).newId());
    }

    @Test
    void sharingClustersThatHoldDifferentKeysAreRefusedTogetherBeforeAnyChange() {
        List<AccessKeyCluster> shared = sharing(2);
        // A third namespace on a second key of the same user.
        var created =
                admin.createAccessKey(b -> b.userName(shared.get(0).user())).accessKey();
        String otherNs = unique("shared-other");
        Clusters.keySecret(k8s(), otherNs, AwsKeys.of(created.accessKeyId(), created.secretAccessKey()));
        List<RotationRequest> requests = List.of(
                accessKeyRequest(shared.get(0), true, null, false, Duration.ZERO),
                accessKeyRequest(
                        new AccessKeyCluster(
                                shared.get(0).user(), otherNs, shared.get(0).first()),
                        true,
                        null,
                        false,
                        Duration.ZERO));

        List<RotationResult> results =
                new FleetRotation(requests, 2, Map.of(), Clock.systemUTC()).call(log::add, r -> CredentialSink.none());

        assertThat(results).extracting(RotationResult::outcome).containsOnly(RotationResult.Outcome.FAILED);
        assertThat(results.get(0).failure().getMessage())
                .contains("share IAM user " + shared.get(0).user())
                .contains("hold different credentials");
        assertThat(keys(shared.get(0).user())).hasSize(2).allMatch(k -> k.status() == StatusType.ACTIVE);
    }
}
