package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Defect 13: an SSH rotation of Flux commits the new key ID as the identity that rotates (IAM, over
 * HTTPS), not with the cluster's key, whose user then needs only codecommit:GitPull; and it proves the
 * new key by pulling that commit with it.
 */
class SshCommitIdentityTest extends RotationFixture {
    /** Declared after the SSH server, whose repositories it serves over HTTPS with SigV4. */
    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1").sharing(SSH);

    private static final AwsKeys ROTATING = AwsKeys.of("AKIAADMINADMINADMIN1", "admin");

    private static RotationRequest committingOver(RotationRequest r, String commitUrl) {
        RotationTarget.FluxSource flux = (RotationTarget.FluxSource) r.targets().get(0);
        return new RotationRequest(
                r.name(),
                r.kind(),
                r.user(),
                r.identity(),
                r.region(),
                r.cluster(),
                List.of(flux.withCommitUrl(commitUrl)),
                r.repositoryUrl(),
                r.maxAge(),
                r.force(),
                r.dryRun(),
                r.deleteAfter(),
                r.verifyTimeout(),
                r.pollInterval(),
                r.aws(),
                r.deactivateAfter());
    }

    @Test
    void theNewKeyIdIsCommittedByTheRotatingIdentityAndPulledWithTheNewKey() throws IOException {
        HTTPS.registerKey(ROTATING, Permission.PULL, Permission.PUSH);
        SshFluxCluster c = sshFluxCluster();
        // The cluster's Flux user may only pull: no SSH push gets in.
        SSH.refusePushes(true);
        RotationResult result;
        try (var controllers = new FluxControllers(
                k8s(), c.namespace(), "main", () -> head(c.repo()), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            result = rotate(committingOver(sshRequest(c), HTTPS.url(c.repo())));
        } finally {
            SSH.refusePushes(false);
        }
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        try (var r = SSH.open(c.repo())) {
            assertThat(BootstrapFiles.read(r, "clusters/prod/" + c.namespace() + "/gotk-sync.yaml"))
                    .contains("ssh://" + result.newId() + "@");
        }
        assertThat(HTTPS.accesses())
                .as("pushed over HTTPS by the rotating identity")
                .anyMatch(a -> a.accessKeyId().equals(ROTATING.accessKeyId()) && a.push() && a.status() == 200);
        assertThat(log).anyMatch(l -> l.contains("Committed the new key ID") && l.contains("rotating identity"));
        assertThat(log).anyMatch(l -> l.startsWith("Pulled main at") && l.contains("with the new key"));
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .extracting(k -> k.sshPublicKeyId())
                .containsExactly(result.newId());
    }

    @Test
    void aRotatingIdentityWithoutPushRollsBackAndLeavesGitAsItWas() throws IOException {
        AwsKeys readOnly = AwsKeys.of("AKIAREADONLY00000001", "read-only");
        HTTPS.registerKey(readOnly, Permission.PULL);
        SshFluxCluster c = sshFluxCluster();
        RotationRequest r = committingOver(sshRequest(c), HTTPS.url(c.repo()));
        RotationRequest asReadOnly = new RotationRequest(
                r.name(),
                r.kind(),
                r.user(),
                readOnly,
                r.region(),
                r.cluster(),
                r.targets(),
                r.repositoryUrl(),
                r.maxAge(),
                r.force(),
                r.dryRun(),
                r.deleteAfter(),
                r.verifyTimeout(),
                r.pollInterval(),
                r.aws(),
                r.deactivateAfter());
        try (var controllers = new FluxControllers(
                k8s(), c.namespace(), "main", () -> head(c.repo()), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rotate(asReadOnly))
                    .hasMessageContaining("codecommit:GitPush");
        }
        assertOnTheOldKey(c);
    }
}
