package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One cluster's rotation. Plain data; the ranges of its durations are checked when it is built
 * and the rest by {@link #validate()}, before anything changes.
 *
 * @param name a label for reports (the cluster's name)
 * @param user the IAM user whose credential the cluster uses
 * @param identity who calls IAM (needs the actions in docs/rotation.md); {@code null} for the default chain
 * @param targets the first holds the rotation's state annotations
 * @param repositoryUrl for SSH keys without a Flux target: the URL to verify the new key on
 * @param maxAge rotate when the credential in use is older; {@code null} rotates every time
 * @param deleteAfter delete the old credential this long after deactivating it; zero deletes at
 *     once, {@code null} leaves it inactive for a later run to delete
 * @param deactivateAfter without evidence that every target's consumer works with the new credential
 *     (Flux Ready, an Argo CD refresh, restarted Deployments Ready, IAM's last use of a new access key),
 *     the old one stays active this long after the write, for a later run to deactivate; zero
 *     deactivates at once; {@code null} is {@link #DEFAULT_DEACTIVATE_AFTER}
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
        AwsSettings aws,
        Duration deactivateAfter)
        implements Serializable {
    public static final Duration DEFAULT_DEACTIVATE_AFTER = Duration.ofHours(24);

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

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
        if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
            RotationLimits.maxAgeDays(maxAge.toDays(), "The maximum age (maxAgeDays)");
        }
        RotationLimits.verifyTimeout(verifyTimeout, "The verification timeout (verifyTimeout)");
        RotationLimits.verifyTimeout(pollInterval, "The poll interval");
        RotationLimits.deleteAfter(deleteAfter, "The grace period before deletion (deleteAfter)");
        if (deactivateAfter == null) {
            deactivateAfter = DEFAULT_DEACTIVATE_AFTER;
        }
        RotationLimits.deleteAfter(deactivateAfter, "The grace period before deactivation (deactivateAfter)");
    }

    /** Whether the old credential stays active for a while when no evidence says it is unused. */
    public boolean hasGrace() {
        return !deactivateAfter.isZero();
    }

    /** With the default grace period before deactivation. */
    public RotationRequest(
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
            AwsSettings aws) {
        this(
                name,
                kind,
                user,
                identity,
                region,
                cluster,
                targets,
                repositoryUrl,
                maxAge,
                force,
                dryRun,
                deleteAfter,
                verifyTimeout,
                pollInterval,
                aws,
                null);
    }

    /** Checks what can be checked without a cluster or IAM: a user, a cluster, targets fit for the kind. */
    public void validate() {
        if (user == null || user.isBlank()) {
            throw new InvalidInputException(
                    "No IAM user was given for " + name + ".",
                    "Give the IAM user whose credential the cluster uses, e.g. " + name + "_codecommit_user.");
        }
        if (targets.isEmpty()) {
            throw new InvalidInputException(
                    "No targets were given for " + name + ".",
                    "Name at least one place that holds the credential: the Flux source, an Argo CD repository"
                            + " secret or a named secret.");
        }
        if (cluster == null) {
            throw new InvalidInputException(
                    "No cluster was given for " + name + ".", "Give a kubeconfig, a context or an EKS cluster name.");
        }
        for (RotationTarget t : targets) {
            names(t);
            if (kind == CredentialKind.ACCESS_KEY && !(t instanceof RotationTarget.NamedSecret)) {
                throw new InvalidInputException(
                        t.describe() + " cannot hold an access key: Flux and Argo CD reach CodeCommit with SSH keys"
                                + " or Git credentials.",
                        "Rotate access keys into a named secret with accessKeyId/secretAccessKey keys.");
            }
            if (t instanceof RotationTarget.NamedSecret named) {
                for (String field : named.keys().keySet()) {
                    if (!RotationTarget.NamedSecret.FIELDS.contains(field)) {
                        throw new InvalidInputException(
                                t.describe() + " maps an unknown field '" + field + "'.",
                                "Map only " + String.join(", ", RotationTarget.NamedSecret.FIELDS)
                                        + " (constants are written as const.KEY=VALUE).");
                    }
                }
                for (String field : RotationTarget.NamedSecret.required(kind)) {
                    if (!named.keys().containsKey(field)) {
                        throw new InvalidInputException(
                                t.describe() + " has no key name for " + field + ".",
                                "Map " + field + " to the secret's key, e.g. " + field + "=" + field + ".");
                    }
                }
            }
        }
    }

    /** Kubernetes would refuse these names at the first read; say so before that, naming the value. */
    private static void names(RotationTarget t) {
        check(t.namespace(), DNS_LABEL, "namespace", t, "at most 63");
        check(t.secretName(), DNS_SUBDOMAIN, "secret name", t, "at most 253");
        if (t instanceof RotationTarget.FluxSource flux) {
            check(flux.gitRepository(), DNS_SUBDOMAIN, "GitRepository name", t, "at most 253");
            if (flux.commitUrl() != null
                    && io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl.parse(flux.commitUrl())
                                    .transport()
                            != io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl.Transport.HTTPS) {
                throw new InvalidInputException(
                        "The commit URL of " + t.describe() + " is not an https:// URL.",
                        "Give the repository's HTTPS URL (https://git-codecommit.REGION.amazonaws.com/v1/repos/NAME):"
                                + " the rotating IAM identity commits the new key ID there.");
            }
        }
        if (t instanceof RotationTarget.NamedSecret named) {
            for (String deployment : named.restart()) {
                check(deployment, DNS_SUBDOMAIN, "Deployment name to restart", t, "at most 253");
            }
        }
    }

    private static void check(String value, Pattern pattern, String what, RotationTarget t, String length) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(
                    "The " + what + " of " + t.describe() + " is empty.", "Give the " + what + ".");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidInputException(
                    "'" + value + "' is not a Kubernetes " + what + " (" + t.describe() + ").",
                    "Use lower-case letters, digits and '-'" + (what.equals("namespace") ? "" : " or '.'") + ", "
                            + length + " characters, starting and ending with a letter or digit.");
        }
    }
}
