package io.jenkins.plugins.fluxcodecommit.plugin.writeback;

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
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.AwsCredentialsSupport;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.NewCredential;
import io.jenkins.plugins.fluxcodecommit.rotation.NewCredentialCheck;
import java.io.IOException;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
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
@Restricted(NoExternalUse.class)
public final class CredentialWriteBack implements CredentialSink {
    private final String credentialsId;
    private final CredentialKind kind;
    private final String user;
    private final NewCredentialCheck check;
    private volatile Run<?, ?> run;
    private volatile TaskListener listener;
    private volatile Authentication authentication;
    private volatile boolean written;

    /**
     * Captures the build's identity: call it on the build's thread.
     *
     * @param credentialsId the ID of the credential the build resolved (not a parameter expression)
     * @param check how the controller confirms with AWS that what the agent reports is real
     */
    public CredentialWriteBack(
            String credentialsId,
            CredentialKind kind,
            String user,
            NewCredentialCheck check,
            Run<?, ?> run,
            TaskListener listener) {
        this.credentialsId = credentialsId;
        this.kind = kind;
        this.user = user;
        this.check = check;
        this.run = run;
        this.listener = listener;
        this.authentication = Jenkins.getAuthentication2();
    }

    @Override
    public String store() {
        return "the Jenkins credential '" + credentialsId + "'";
    }

    /**
     * Checks, before the rotation changes anything, that the credential can take the new secret:
     * it is in a store the job sees, the build may update it, and its type holds this kind. A build
     * running as SYSTEM (no Queue Item Authenticator) writes only to an AWS CodeCommit identity that
     * opts in, so that configuring a job is not enough to replace any credential it can see.
     */
    public void preflight() {
        try (ACLContext ignored = ACL.as2(authentication)) {
            Located found = locate();
            check(found);
            replacementType(found.current());
        }
    }

    /** Ends the proxy's use: the exported object keeps no build, listener or identity. */
    public void close() {
        run = null;
        listener = null;
        authentication = null;
    }

    @Override
    public synchronized void accept(NewCredential created) {
        Authentication auth = authentication;
        if (auth == null) {
            throw new IllegalStateException("the step that exported this write-back has ended");
        }
        if (written) {
            throw new IllegalStateException("this rotation's credential was already written back");
        }
        if (created.kind() != kind || !user.equals(created.user())) {
            throw new FluxCodeCommitException(
                    "The write-back was given a " + created.kind().label() + " of " + created.user() + ", not the "
                            + kind.label() + " of " + user + " this step rotates.",
                    "Nothing was written to Jenkins credential '" + credentialsId + "'.");
        }
        try (ACLContext ignored = ACL.as2(auth)) {
            Located found = locate();
            check(found);
            // The agent's word is not enough: AWS, at the endpoints the administrator set, must agree.
            check.confirm(created);
            Credentials replacement = replacement(found.current(), created);
            if (!found.store().updateCredentials(found.domain(), found.current(), replacement)) {
                throw new IOException("the store " + found.store().getDisplayName() + " did not accept the update");
            }
            written = true;
            listener.getLogger()
                    .println("[flux-codecommit] Jenkins credential '" + credentialsId + "' now holds "
                            + created.kind().label() + " " + created.id() + " ("
                            + found.store().getDisplayName()
                            + ")");
        } catch (IOException | Descriptor.FormException e) {
            throw new FluxCodeCommitException(
                    "Writing the new " + created.kind().label() + " " + created.id() + " to Jenkins credential '"
                            + credentialsId + "' failed: " + e.getMessage(),
                    "The cluster already uses the new credential and the old one is still active; fix the store"
                            + " and run the rotation again to finish it.");
        }
    }

    private record Located(CredentialsStore store, Domain domain, Credentials current) {}

    /**
     * Where the credential is stored, looked up as SYSTEM: a build may use a credential it cannot
     * list, and whether it may update it is {@link #check}'s question, answered as the build.
     */
    private Located locate() {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return locateAsSystem();
        }
    }

    private Located locateAsSystem() {
        for (CredentialsStore store : CredentialsProvider.lookupStores(run.getParent())) {
            for (Domain domain : store.getDomains()) {
                for (Credentials current : store.getCredentials(domain)) {
                    if (current instanceof IdCredentials id && credentialsId.equals(id.getId())) {
                        return new Located(store, domain, current);
                    }
                }
            }
        }
        throw new FluxCodeCommitException(
                "Jenkins credential '" + credentialsId + "' is in no credentials store that "
                        + run.getParent().getFullName() + " can see (its folders' and the global store), so it"
                        + " cannot take the new " + kind.label() + ".",
                "Check the ID, or leave credentialsId out and store the new credential yourself.");
    }

    private void check(Located found) {
        Authentication auth = authentication;
        if (ACL.SYSTEM2.equals(auth)) {
            if (!(found.current() instanceof CodeCommitIdentityCredentials c) || !c.isRotationWriteBack()) {
                throw new FluxCodeCommitException(
                        "The build runs as SYSTEM, and Jenkins credential '" + credentialsId
                                + "' does not allow rotateCodeCommitKey to replace its secrets.",
                        "Tick 'Let rotateCodeCommitKey update this credential' on an AWS CodeCommit identity, or"
                                + " run builds as a user (Authorize Project) with Credentials/Update on "
                                + found.store().getDisplayName() + ".");
            }
        } else if (!found.store().hasPermission2(auth, CredentialsProvider.UPDATE)) {
            throw new FluxCodeCommitException(
                    "The build runs as " + auth.getName() + ", who may not update credentials in "
                            + found.store().getDisplayName() + ", so '" + credentialsId + "' cannot take the new "
                            + kind.label() + ".",
                    "Grant Credentials/Update on that store to the identity builds of "
                            + run.getParent().getFullName()
                            + " run as, or leave credentialsId out and store the credential yourself.");
        }
        if (found.current() instanceof CodeCommitIdentityCredentials c
                && c.getIamUser() != null
                && !c.getIamUser().equals(user)) {
            throw new FluxCodeCommitException(
                    "Jenkins credential '" + credentialsId + "' belongs to IAM user " + c.getIamUser() + ", not to "
                            + user + " whose " + kind.label() + " this step rotates.",
                    "Give the credential of " + user + ", or correct the user.");
        }
    }

    /** Fails unless the credential's type can hold this kind. */
    private void replacementType(Credentials current) {
        boolean fits = current instanceof CodeCommitIdentityCredentials
                || kind == CredentialKind.SSH_KEY && current instanceof BasicSSHUserPrivateKey
                || kind == CredentialKind.HTTPS_GIT_CREDENTIAL && current instanceof UsernamePasswordCredentialsImpl
                || kind == CredentialKind.ACCESS_KEY && AwsCredentialsSupport.installed() && AwsWriteBack.fits(current);
        if (!fits) {
            throw unfit(current);
        }
    }

    private FluxCodeCommitException unfit(Credentials current) {
        return new FluxCodeCommitException(
                "Jenkins credential '" + credentialsId + "' is a "
                        + current.getDescriptor().getDisplayName() + ", which cannot hold a " + kind.label() + ".",
                "Use an 'AWS CodeCommit identity' credential (any kind), SSH user name with private key (ssh-key),"
                        + " user name with password (https-git-credential) or AWS credentials (access-key).");
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
            BasicSSHUserPrivateKey replacement = new BasicSSHUserPrivateKey(
                    ssh.getScope(),
                    ssh.getId(),
                    created.id(),
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(secret),
                    null,
                    ssh.getDescription());
            replacement.setUsernameSecret(ssh.isUsernameSecret());
            return replacement;
        }
        if (created.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL
                && current instanceof UsernamePasswordCredentialsImpl basic) {
            UsernamePasswordCredentialsImpl replacement = new UsernamePasswordCredentialsImpl(
                    basic.getScope(), basic.getId(), basic.getDescription(), created.gitUserName(), secret);
            replacement.setUsernameSecret(basic.isUsernameSecret());
            return replacement;
        }
        if (created.kind() == CredentialKind.ACCESS_KEY && AwsCredentialsSupport.installed()) {
            Credentials aws = AwsWriteBack.replacement(current, created.id(), secret);
            if (aws != null) {
                return aws;
            }
        }
        throw unfit(current);
    }

    /** Kept apart so that aws-credentials classes load only when that plugin is installed. */
    private static final class AwsWriteBack {
        static boolean fits(Credentials current) {
            return current instanceof AWSCredentialsImpl;
        }

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
