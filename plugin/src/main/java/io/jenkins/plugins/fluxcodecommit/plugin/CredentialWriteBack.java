package io.jenkins.plugins.fluxcodecommit.plugin;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Descriptor;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.NewCredential;
import java.io.IOException;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * Runs on the controller: writes a rotated credential back into the Jenkins credential it
 * replaces, in the store that holds it, as the build's identity (which needs Credentials/Update on
 * that store). The engine calls it once the cluster holds the new credential and before the old
 * one is deactivated, so Jenkins never holds only a dead secret; if the write fails, the rotation
 * stops with the old credential still active, and the next run finishes it.
 *
 * <p>On an agent the engine reaches it through a proxy exported on the channel; {@link #close()}
 * makes the proxy useless once the step is over.
 */
final class CredentialWriteBack implements CredentialSink {
    private final String credentialsId;
    private final Run<?, ?> run;
    private final TaskListener listener;
    private final Authentication authentication;
    private volatile boolean open = true;

    CredentialWriteBack(String credentialsId, Run<?, ?> run, TaskListener listener) {
        this.credentialsId = credentialsId;
        this.run = run;
        this.listener = listener;
        this.authentication = Jenkins.getAuthentication2();
    }

    void close() {
        open = false;
    }

    @Override
    public void accept(NewCredential created) {
        if (!open) {
            throw new IllegalStateException("the step that exported this write-back has ended");
        }
        try (ACLContext ignored = ACL.as2(authentication)) {
            write(created);
        } catch (IOException | Descriptor.FormException e) {
            throw new FluxCodeCommitException(
                    "Writing the new " + created.kind().label() + " " + created.id() + " to Jenkins credential '"
                            + credentialsId + "' failed: " + e.getMessage(),
                    "The cluster already uses the new credential and the old one is still active; fix the store"
                            + " and run the rotation again to finish it.");
        }
    }

    private void write(NewCredential created) throws IOException, Descriptor.FormException {
        for (CredentialsStore store : CredentialsProvider.lookupStores(run.getParent())) {
            for (Domain domain : store.getDomains()) {
                for (Credentials current : store.getCredentials(domain)) {
                    if (!(current instanceof IdCredentials id) || !credentialsId.equals(id.getId())) {
                        continue;
                    }
                    if (!store.hasPermission2(authentication, CredentialsProvider.UPDATE)) {
                        throw new FluxCodeCommitException(
                                "The build runs as " + authentication.getName() + ", who may not update credentials in "
                                        + store.getDisplayName() + ", so '" + credentialsId
                                        + "' cannot take the new "
                                        + created.kind().label() + " " + created.id() + ".",
                                "Grant Credentials/Update on that store to the identity builds of "
                                        + run.getParent().getFullName()
                                        + " run as, or leave credentialsId out and store the credential yourself;"
                                        + " the old credential stays active until a run completes.");
                    }
                    Credentials replacement = replacement(current, created);
                    if (!store.updateCredentials(domain, current, replacement)) {
                        throw new IOException("the store " + store.getDisplayName() + " did not accept the update");
                    }
                    listener.getLogger()
                            .println("[flux-codecommit] Jenkins credential '" + credentialsId + "' now holds "
                                    + created.kind().label() + " " + created.id() + " (" + store.getDisplayName()
                                    + ")");
                    return;
                }
            }
        }
        throw new FluxCodeCommitException(
                "Jenkins credential '" + credentialsId + "' is in no credentials store that "
                        + run.getParent().getFullName() + " can see.",
                "Check the ID; the credential must live in the job's folder or in the global store.");
    }

    private Credentials replacement(Credentials current, NewCredential created) throws Descriptor.FormException {
        String secret = created.secret().reveal();
        if (current instanceof CodeCommitIdentityCredentials c) {
            return switch (created.kind()) {
                case ACCESS_KEY -> c.withAccessKey(created.id(), secret);
                case SSH_KEY -> c.withSshKey(created.id(), secret);
                case HTTPS_GIT_CREDENTIAL -> c.withGitCredentials(created.gitUserName(), secret);
            };
        }
        if (created.kind() == CredentialKind.SSH_KEY && current instanceof BasicSSHUserPrivateKey ssh) {
            return new BasicSSHUserPrivateKey(
                    ssh.getScope(),
                    ssh.getId(),
                    created.id(),
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(secret),
                    null,
                    ssh.getDescription());
        }
        if (created.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL
                && current instanceof UsernamePasswordCredentialsImpl basic) {
            return new UsernamePasswordCredentialsImpl(
                    basic.getScope(), basic.getId(), basic.getDescription(), created.gitUserName(), secret);
        }
        if (created.kind() == CredentialKind.ACCESS_KEY && AwsCredentialsSupport.installed()) {
            Credentials aws = AwsWriteBack.replacement(current, created.id(), secret);
            if (aws != null) {
                return aws;
            }
        }
        throw new FluxCodeCommitException(
                "Jenkins credential '" + credentialsId + "' is a "
                        + current.getDescriptor().getDisplayName() + ", which cannot hold a "
                        + created.kind().label() + ".",
                "Use an 'AWS CodeCommit identity' credential (any kind), SSH user name with private key (ssh-key),"
                        + " user name with password (https-git-credential) or AWS credentials (access-key).");
    }

    /** Kept apart so that aws-credentials classes load only when that plugin is installed. */
    private static final class AwsWriteBack {
        static Credentials replacement(Credentials current, String accessKeyId, String secret) {
            if (!(current instanceof AWSCredentialsImpl aws)) {
                return null;
            }
            AWSCredentialsImpl replacement = new AWSCredentialsImpl(
                    aws.getScope(),
                    aws.getId(),
                    accessKeyId,
                    secret,
                    aws.getDescription(),
                    aws.getIamRoleArn(),
                    aws.getIamMfaSerialNumber(),
                    aws.getIamExternalId());
            replacement.setStsTokenDuration(aws.getStsTokenDuration());
            return replacement;
        }
    }
}
