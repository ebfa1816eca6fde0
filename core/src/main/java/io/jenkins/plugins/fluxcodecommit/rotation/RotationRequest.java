package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * One cluster's rotation. Plain data.
 *
 * @param name a label for reports (the cluster's name)
 * @param user the IAM user whose credential the cluster uses
 * @param identity who calls IAM (needs the actions in docs/rotation.md); {@code null} for the default chain
 * @param targets the first holds the rotation's state annotations
 * @param repositoryUrl for SSH keys without a Flux target: the URL to verify the new key on
 * @param maxAge rotate when the credential in use is older; {@code null} rotates every time
 * @param deleteAfter delete the old credential this long after deactivating it; zero deletes at
 *     once, {@code null} leaves it inactive for a later run to delete
 */
public record RotationRequest(
        String name,
        CredentialKind kind,
        String user,
        AwsIdentity identity,
        String region,
        ClusterTarget cluster,
        List<RotationTarget> targets,
        String repositoryUrl,
        Duration maxAge,
        boolean force,
        boolean dryRun,
        Duration deleteAfter,
        Duration verifyTimeout,
        Duration pollInterval,
        AwsSettings aws)
        implements Serializable {
    public RotationRequest {
        targets = List.copyOf(targets);
        if (verifyTimeout == null) {
            verifyTimeout = Duration.ofMinutes(2);
        }
        if (pollInterval == null) {
            pollInterval = Duration.ofSeconds(2);
        }
        if (aws == null) {
            aws = AwsSettings.defaults();
        }
    }
}
