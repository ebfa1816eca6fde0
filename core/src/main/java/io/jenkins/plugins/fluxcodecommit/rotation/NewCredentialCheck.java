package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EncodingType;
import software.amazon.awssdk.services.iam.model.SSHPublicKey;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Confirms with AWS, from where a credential is stored, that a credential reported as new really
 * belongs to the user being rotated: whoever stores it (a Jenkins controller taking the word of an
 * agent) checks before it replaces a working secret. An access key must sign STS's
 * GetCallerIdentity as that user; an SSH key's public half must be the one IAM holds for that user
 * and key ID; an HTTPS Git credential must be that user's, with that service user name.
 */
public final class NewCredentialCheck {
    private static final Duration PROPAGATION = Duration.ofSeconds(30);
    private final AwsSettings settings;
    private final AwsIdentity caller;
    private final String region;

    /**
     * @param caller the identity that reads IAM for SSH keys and HTTPS Git credentials; access keys
     *     are checked with themselves and need none
     * @param region the STS region; {@code null} for us-east-1
     */
    public NewCredentialCheck(AwsSettings settings, AwsIdentity caller, String region) {
        this.settings = settings;
        this.caller = caller;
        this.region = region == null ? "us-east-1" : region;
    }

    /** Whether this kind can be confirmed without an IAM caller. */
    public static boolean needsCaller(CredentialKind kind) {
        return kind != CredentialKind.ACCESS_KEY;
    }

    /** Returns when AWS confirms the credential; throws, naming what did not match, otherwise. */
    public void confirm(NewCredential created) {
        Redactor redactor = new Redactor().add(created.secret());
        // This runs where the credential is stored (the Jenkins controller), outside any build step:
        // the caller's default chain (a role's source, say IRSA on the controller's pod) is this
        // process's own.
        try (AwsClients aws = new AwsClients(settings, redactor, System.getenv())) {
            switch (created.kind()) {
                case ACCESS_KEY -> confirmAccessKey(aws, created);
                case SSH_KEY -> confirmSshKey(iam(aws), created);
                case HTTPS_GIT_CREDENTIAL -> confirmGitCredential(iam(aws), created);
            }
        } catch (SdkException e) {
            throw refused(created, redactor.redact(String.valueOf(e.getMessage())));
        }
    }

    private IamClient iam(AwsClients aws) {
        if (caller == null) {
            throw new FluxCodeCommitException(
                    "No AWS identity was given to confirm with IAM that the new credential is real.",
                    "Give the identity that calls IAM (awsCredentialsId, --aws-credentials) to the step.");
        }
        return aws.iam(aws.credentials(caller, region), region);
    }

    private void confirmAccessKey(AwsClients aws, NewCredential created) {
        AwsKeys keys = new AwsKeys(created.id(), created.secret(), null);
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        String arn = null;
        while (arn == null) {
            try {
                arn = aws.callerIdentity(keys, region).arn();
            } catch (FluxCodeCommitException e) {
                // A key seconds old may not be known everywhere yet: IAM is eventually consistent.
                if (System.nanoTime() > deadline) {
                    throw refused(created, "STS does not accept it");
                }
                sleep();
            }
        }
        // arn:aws:iam::123456789012:user/optional/path/name
        if (!arn.contains(":user/") || !arn.endsWith("/" + created.user())) {
            throw refused(created, "STS says access key " + created.id() + " is " + arn);
        }
    }

    private static void confirmSshKey(IamClient iam, NewCredential created) {
        SSHPublicKey key = iam.getSSHPublicKey(b ->
                        b.userName(created.user()).sshPublicKeyId(created.id()).encoding(EncodingType.SSH))
                .sshPublicKey();
        String held = body(key.sshPublicKeyBody());
        String given = body(SshKeyPair.parse(created.secret(), null).publicKeyOpenSsh());
        if (!held.equals(given) || key.status() != StatusType.ACTIVE) {
            throw refused(
                    created,
                    "IAM holds another public key (or an inactive one) as " + created.id() + " of " + created.user());
        }
    }

    private static void confirmGitCredential(IamClient iam, NewCredential created) {
        boolean found = iam
                .listServiceSpecificCredentials(b -> b.userName(created.user()).serviceName("codecommit.amazonaws.com"))
                .serviceSpecificCredentials()
                .stream()
                .anyMatch(c -> c.serviceSpecificCredentialId().equals(created.id())
                        && c.serviceUserName().equals(created.gitUserName())
                        && c.status() == StatusType.ACTIVE);
        if (!found) {
            throw refused(
                    created,
                    "IAM lists no active HTTPS Git credential " + created.id() + " (" + created.gitUserName() + ") for "
                            + created.user());
        }
    }

    private static String body(String openSsh) {
        String[] parts = openSsh.trim().split("\\s+");
        return parts.length >= 2 ? parts[0] + " " + parts[1] : openSsh.trim();
    }

    private static FluxCodeCommitException refused(NewCredential created, String why) {
        return new FluxCodeCommitException(
                "AWS does not confirm the new " + created.kind().label() + " " + created.id() + " as " + created.user()
                        + "'s: " + why + ".",
                "Nothing was stored. Check the AWS endpoints the controller uses and the agent that ran the rotation;"
                        + " the cluster keeps a working credential and the next run finishes the rotation.");
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FluxCodeCommitException("Interrupted while confirming a new credential.", "Run it again.");
        }
    }
}
