package io.jenkins.plugins.fluxcodecommit.plugin.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Resolves credential IDs, on the controller and as the build's identity, into the engine's plain
 * data that is sent to the agent. Accepts the kinds users already have: this plugin's CodeCommit
 * identity, aws-credentials' AWS credentials (when that plugin is installed), ssh-credentials' SSH
 * keys whose user name is the IAM SSH key ID, and user name/password HTTPS Git credentials.
 */
@Restricted(NoExternalUse.class)
public final class Identities {
    public static final CredentialsMatcher MATCHER = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(CodeCommitIdentityCredentials.class),
            CredentialsMatchers.instanceOf(SSHUserPrivateKey.class),
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
            new AwsCredentialsSupport.Matcher());

    private Identities() {}

    /**
     * A credential as a build resolved it, and the identity it holds. The credential's own ID is
     * the one to write back to: the ID a step was given may be a parameter ({@code ${P}}, or a
     * credentials parameter named like a credential) that resolved to another.
     */
    public record Resolved(StandardCredentials credential, CodeCommitIdentity identity) {}

    /** The credential with this ID as the build sees it, or {@code null} for no ID. */
    @CheckForNull
    public static Resolved find(@CheckForNull String id, @NonNull Run<?, ?> run) throws IOException {
        if (id == null || id.isBlank()) {
            return null;
        }
        StandardCredentials c = lookup(id, run);
        return new Resolved(c, toIdentity(c, id));
    }

    /** The credential with this ID as the build sees it, tracked as used by the build. */
    @NonNull
    static StandardCredentials lookup(@NonNull String id, @NonNull Run<?, ?> run) throws AbortException {
        StandardCredentials c = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
        if (c == null) {
            throw new AbortException("No credential with ID '" + id + "' is visible to " + run.getFullDisplayName()
                    + ". Check the ID, and that the credential is in a store this job can use (its folder or the"
                    + " global domain).");
        }
        CredentialsProvider.track(run, c);
        return c;
    }

    /** The identity a credential holds, or {@code null} for no credential (the agent's default chain). */
    @CheckForNull
    public static CodeCommitIdentity resolve(@CheckForNull String id, @NonNull Run<?, ?> run) throws IOException {
        Resolved found = find(id, run);
        return found == null ? null : found.identity();
    }

    static CodeCommitIdentity toIdentity(StandardCredentials c, String id) throws AbortException {
        if (c instanceof CodeCommitIdentityCredentials codeCommit) {
            return codeCommit.toIdentity();
        }
        if (c instanceof SSHUserPrivateKey ssh) {
            List<String> keys = ssh.getPrivateKeys();
            if (keys.isEmpty()) {
                throw new AbortException("SSH credential '" + id + "' holds no private key.");
            }
            return CodeCommitIdentity.ofSsh(
                    ssh.getUsername(),
                    io.jenkins.plugins.fluxcodecommit.secret.Secret.of(keys.get(0)),
                    CodeCommitIdentityCredentials.engine(ssh.getPassphrase()));
        }
        if (c instanceof StandardUsernamePasswordCredentials basic) {
            return CodeCommitIdentity.ofGitCredentials(
                    basic.getUsername(), CodeCommitIdentityCredentials.engine(basic.getPassword()));
        }
        if (AwsCredentialsSupport.installed()) {
            CodeCommitIdentity aws = AwsCredentialsSupport.toIdentity(c, id);
            if (aws != null) {
                return aws;
            }
        }
        throw new AbortException(
                "Credential '" + id + "' is a " + c.getDescriptor().getDisplayName()
                        + ", which holds no CodeCommit identity. Use an 'AWS CodeCommit identity', AWS credentials, an SSH"
                        + " user name with private key (the user name being the IAM SSH key ID), or HTTPS Git credentials.");
    }

    /** The kubeconfig a secret file or secret text credential holds. */
    public static io.jenkins.plugins.fluxcodecommit.secret.Secret kubeconfig(@NonNull String id, @NonNull Run<?, ?> run)
            throws IOException {
        StandardCredentials c = lookup(id, run);
        if (c instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return io.jenkins.plugins.fluxcodecommit.secret.Secret.of(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        if (c instanceof StringCredentials text) {
            return io.jenkins.plugins.fluxcodecommit.secret.Secret.of(
                    text.getSecret().getPlainText());
        }
        throw new AbortException(
                "Credential '" + id + "' is a " + c.getDescriptor().getDisplayName()
                        + "; a kubeconfig must be a secret file or secret text credential.");
    }

    static boolean pluginInstalled(String shortName) {
        return Jenkins.get().getPlugin(shortName) != null;
    }
}
