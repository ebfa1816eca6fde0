package io.jenkins.plugins.fluxcodecommit.plugin;

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

/**
 * Resolves credential IDs, on the controller and as the build's identity, into the engine's plain
 * data that is sent to the agent. Accepts the kinds users already have: this plugin's CodeCommit
 * identity, aws-credentials' AWS credentials (when that plugin is installed), ssh-credentials' SSH
 * keys whose user name is the IAM SSH key ID, and user name/password HTTPS Git credentials.
 */
final class Identities {
    static final CredentialsMatcher MATCHER = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(CodeCommitIdentityCredentials.class),
            CredentialsMatchers.instanceOf(SSHUserPrivateKey.class),
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
            new AwsCredentialsSupport.Matcher());

    private Identities() {}

    /** The credential with this ID as the build sees it, tracked as used by the build. */
    @NonNull
    static StandardCredentials find(@NonNull String id, @NonNull Run<?, ?> run) throws AbortException {
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
    static CodeCommitIdentity resolve(@CheckForNull String id, @NonNull Run<?, ?> run) throws IOException {
        if (id == null || id.isBlank()) {
            return null;
        }
        return toIdentity(find(id, run), id);
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
            CodeCommitIdentity aws = AwsCredentialsSupport.toIdentity(c);
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
    static io.jenkins.plugins.fluxcodecommit.secret.Secret kubeconfig(@NonNull String id, @NonNull Run<?, ?> run)
            throws IOException {
        StandardCredentials c = find(id, run);
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
