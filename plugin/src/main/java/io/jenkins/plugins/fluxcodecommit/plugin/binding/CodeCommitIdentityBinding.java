package io.jenkins.plugins.fluxcodecommit.plugin.binding;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.fluxcodecommit.adapter.AwsEnvironment;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.AgentFailures;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import jenkins.security.MasterToSlaveCallable;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.credentialsbinding.BindingDescriptor;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.UnbindableDir;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code codeCommitIdentity(credentialsId: ...)} in {@code withCredentials}: the IAM half as the
 * AWS variables (a role's session, assumed on the agent, when the credential names a role), the SSH
 * half as a private key file plus the key ID, and the HTTPS Git credentials. Secret values are
 * masked in the log; the key file is removed when the block ends.
 */
public final class CodeCommitIdentityBinding extends MultiBinding<CodeCommitIdentityCredentials> {
    private String accessKeyIdVariable = "AWS_ACCESS_KEY_ID";
    private String secretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY";
    private String sessionTokenVariable = "AWS_SESSION_TOKEN";
    private String sshKeyFileVariable;
    private String sshKeyIdVariable;
    private String sshPassphraseVariable;
    private String gitUsernameVariable;
    private String gitPasswordVariable;

    @DataBoundConstructor
    public CodeCommitIdentityBinding(String credentialsId) {
        super(credentialsId);
    }

    public String getAccessKeyIdVariable() {
        return accessKeyIdVariable;
    }

    @DataBoundSetter
    public void setAccessKeyIdVariable(String v) {
        this.accessKeyIdVariable = orDefault(v, "AWS_ACCESS_KEY_ID");
    }

    public String getSecretAccessKeyVariable() {
        return secretAccessKeyVariable;
    }

    @DataBoundSetter
    public void setSecretAccessKeyVariable(String v) {
        this.secretAccessKeyVariable = orDefault(v, "AWS_SECRET_ACCESS_KEY");
    }

    public String getSessionTokenVariable() {
        return sessionTokenVariable;
    }

    @DataBoundSetter
    public void setSessionTokenVariable(String v) {
        this.sessionTokenVariable = orDefault(v, "AWS_SESSION_TOKEN");
    }

    public String getSshKeyFileVariable() {
        return sshKeyFileVariable;
    }

    @DataBoundSetter
    public void setSshKeyFileVariable(String v) {
        this.sshKeyFileVariable = Util.fixEmptyAndTrim(v);
    }

    public String getSshKeyIdVariable() {
        return sshKeyIdVariable;
    }

    @DataBoundSetter
    public void setSshKeyIdVariable(String v) {
        this.sshKeyIdVariable = Util.fixEmptyAndTrim(v);
    }

    public String getSshPassphraseVariable() {
        return sshPassphraseVariable;
    }

    /** The key file's passphrase, when the credential has one, for {@code ssh-add} or {@code ssh -i}. */
    @DataBoundSetter
    public void setSshPassphraseVariable(String v) {
        this.sshPassphraseVariable = Util.fixEmptyAndTrim(v);
    }

    public String getGitUsernameVariable() {
        return gitUsernameVariable;
    }

    @DataBoundSetter
    public void setGitUsernameVariable(String v) {
        this.gitUsernameVariable = Util.fixEmptyAndTrim(v);
    }

    public String getGitPasswordVariable() {
        return gitPasswordVariable;
    }

    @DataBoundSetter
    public void setGitPasswordVariable(String v) {
        this.gitPasswordVariable = Util.fixEmptyAndTrim(v);
    }

    @Override
    protected Class<CodeCommitIdentityCredentials> type() {
        return CodeCommitIdentityCredentials.class;
    }

    @Override
    public Set<String> variables(@NonNull Run<?, ?> build) {
        Set<String> names = new LinkedHashSet<>();
        names.add(accessKeyIdVariable);
        names.add(secretAccessKeyVariable);
        names.add(sessionTokenVariable);
        add(names, sshKeyFileVariable);
        add(names, sshKeyIdVariable);
        add(names, sshPassphraseVariable);
        add(names, gitUsernameVariable);
        add(names, gitPasswordVariable);
        return names;
    }

    @Override
    public MultiEnvironment bind(
            @NonNull Run<?, ?> build,
            @CheckForNull FilePath workspace,
            @CheckForNull Launcher launcher,
            @NonNull TaskListener listener)
            throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException("codeCommitIdentity needs a workspace: use it inside node { }.");
        }
        CodeCommitIdentity identity = getCredentials(build).toIdentity();
        Map<String, String> secret = new LinkedHashMap<>();
        Map<String, String> plain = new LinkedHashMap<>();
        if (identity.hasIam()) {
            VirtualChannel channel = workspace.getChannel();
            if (channel == null) {
                throw new AbortException("The agent of " + workspace.getRemote() + " is offline.");
            }
            EnvVars env = build.getEnvironment(listener);
            Map<String, String> aws = channel.call(new AwsVariablesCall(
                    identity, FluxCodeCommitConfiguration.get().aws(), env));
            secret.put(accessKeyIdVariable, aws.get("AWS_ACCESS_KEY_ID"));
            secret.put(secretAccessKeyVariable, aws.get("AWS_SECRET_ACCESS_KEY"));
            if (aws.containsKey("AWS_SESSION_TOKEN")) {
                secret.put(sessionTokenVariable, aws.get("AWS_SESSION_TOKEN"));
            }
            for (String region : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
                // A variable the user named for a secret wins over the region's.
                if (aws.containsKey(region)
                        && !secret.containsKey(region)
                        && !variables(build).contains(region)) {
                    plain.put(region, aws.get(region));
                }
            }
        }
        Unbinder unbinder = null;
        if (sshKeyFileVariable != null) {
            if (!identity.hasSsh()) {
                throw new AbortException("sshKeyFileVariable was given but credential '" + getCredentialsId()
                        + "' has no SSH private key.");
            }
            UnbindableDir dir = UnbindableDir.create(workspace);
            FilePath key = dir.getDirPath().createTempFile("codecommit", ".pem");
            key.chmod(0600);
            // OpenSSH reads a PEM key only up to a final newline; a stored key often lacks it.
            String pem = identity.sshPrivateKey().reveal();
            key.write(pem.endsWith("\n") ? pem : pem + "\n", "UTF-8");
            key.chmod(0400);
            secret.put(sshKeyFileVariable, key.getRemote());
            unbinder = dir.getUnbinder();
        }
        if (sshKeyIdVariable != null && identity.sshKeyId() != null) {
            plain.put(sshKeyIdVariable, identity.sshKeyId());
        }
        if (sshPassphraseVariable != null && identity.sshPassphrase() != null) {
            secret.put(sshPassphraseVariable, identity.sshPassphrase().reveal());
        }
        if (identity.hasGitCredentials()) {
            if (gitUsernameVariable != null) {
                secret.put(gitUsernameVariable, identity.gitUsername());
            }
            if (gitPasswordVariable != null) {
                secret.put(gitPasswordVariable, identity.gitPassword().reveal());
            }
        }
        return unbinder == null ? new MultiEnvironment(secret, plain) : new MultiEnvironment(secret, plain, unbinder);
    }

    private static void add(Set<String> names, String name) {
        if (name != null) {
            names.add(name);
        }
    }

    private static String orDefault(String value, String fallback) {
        String v = Util.fixEmptyAndTrim(value);
        return v == null ? fallback : v;
    }

    @Extension
    @Symbol("codeCommitIdentity")
    public static final class DescriptorImpl extends BindingDescriptor<CodeCommitIdentityCredentials> {
        @Override
        protected Class<CodeCommitIdentityCredentials> type() {
            return CodeCommitIdentityCredentials.class;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodeCommitIdentityBinding_DisplayName();
        }
    }

    /** The AWS variables of an identity, a role being assumed here, on the agent. */
    static final class AwsVariablesCall extends MasterToSlaveCallable<HashMap<String, String>, IOException> {
        private static final long serialVersionUID = 1L;
        private final CodeCommitIdentity identity;
        private final AwsSettings settings;
        private final HashMap<String, String> environment;

        AwsVariablesCall(CodeCommitIdentity identity, AwsSettings settings, Map<String, String> environment) {
            this.identity = identity;
            this.settings = settings;
            this.environment = new HashMap<>(environment);
        }

        @Override
        public HashMap<String, String> call() throws IOException {
            try {
                return new HashMap<>(AwsEnvironment.of(identity, settings, environment));
            } catch (RuntimeException e) {
                throw AgentFailures.abort(
                        e,
                        null,
                        AgentFailures.redactor(identity.awsIdentity(), null)
                                .add(identity.sshPrivateKey(), identity.gitPassword()));
            }
        }
    }
}
