package io.jenkins.plugins.fluxcodecommit.plugin.credentials;

import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.NameWith;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.Forms;
import jakarta.servlet.ServletException;
import java.io.IOException;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundResolvable;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.verb.POST;

/**
 * The secrets of one AWS CodeCommit identity: an IAM half (access key, or a role to assume), an SSH
 * half (the IAM SSH key ID and its private key) and HTTPS Git credentials. At least one half is
 * needed. Secrets are {@link Secret}s, so they are stored encrypted and never shown in forms.
 */
@NameWith(value = CodeCommitIdentityCredentials.NameProvider.class, priority = 8)
public class CodeCommitIdentityCredentials extends BaseStandardCredentials implements DataBoundResolvable {
    private static final long serialVersionUID = 1L;

    private String iamUser;
    private String accessKeyId;
    private Secret secretAccessKey;
    private String roleArn;
    private String externalId;
    private String region;
    private String sshKeyId;
    private Secret sshPrivateKey;
    private Secret sshPassphrase;
    private String gitUsername;
    private Secret gitPassword;
    private boolean rotationWriteBack;

    @DataBoundConstructor
    public CodeCommitIdentityCredentials(
            @CheckForNull CredentialsScope scope, @CheckForNull String id, @CheckForNull String description) {
        super(scope, id, description);
    }

    /** A copy with the same ID, scope and description: how a rotation's write-back replaces this one. */
    public CodeCommitIdentityCredentials copy() {
        CodeCommitIdentityCredentials c = new CodeCommitIdentityCredentials(getScope(), getId(), getDescription());
        c.iamUser = iamUser;
        c.accessKeyId = accessKeyId;
        c.secretAccessKey = secretAccessKey;
        c.roleArn = roleArn;
        c.externalId = externalId;
        c.region = region;
        c.sshKeyId = sshKeyId;
        c.sshPrivateKey = sshPrivateKey;
        c.sshPassphrase = sshPassphrase;
        c.gitUsername = gitUsername;
        c.gitPassword = gitPassword;
        c.rotationWriteBack = rotationWriteBack;
        return c;
    }

    /**
     * Refuses, when a form is submitted, a credential with no half, or an access key without its
     * secret: such a credential could do nothing. Stapler calls this after the setters; what it
     * throws reaches the user as a 400 with the message (a {@code FormException} from
     * {@code newInstance} would be swallowed by the credentials UI's binding).
     */
    @Override
    public Object bindResolve(StaplerRequest2 request, JSONObject src) {
        CodeCommitIdentity identity = toIdentity();
        if (!identity.hasIam() && !identity.hasSsh() && !identity.hasGitCredentials()) {
            throw refused(
                    request,
                    "Give at least one of: an access key or role (IAM), an SSH key ID with its private key,"
                            + " or HTTPS Git credentials.");
        }
        if (identity.accessKeyId() != null && identity.secretAccessKey() == null) {
            throw refused(request, "The access key ID needs its secret access key.");
        }
        return this;
    }

    /**
     * A 400 with the message; as JSON for the credentials dialog, which asks for JSON and shows
     * its {@code message}, as the credentials plugin answers its own errors.
     */
    private static HttpResponses.HttpResponseException refused(StaplerRequest2 request, String message) {
        String accept = request == null ? null : request.getHeader("Accept");
        if (accept == null || !accept.contains("application/json")) {
            return HttpResponses.errorWithoutStack(400, message);
        }
        return new HttpResponses.HttpResponseException(message) {
            @Override
            public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
                    throws IOException, ServletException {
                rsp.setStatus(400);
                hudson.util.HttpResponses.okJSON(
                                new JSONObject().element("message", message).element("notificationType", "ERROR"))
                        .generateResponse(req, rsp, node);
            }
        };
    }

    /** The secrets as engine data, to send to the agent that runs an operation. */
    public CodeCommitIdentity toIdentity() {
        return new CodeCommitIdentity(
                iamUser,
                accessKeyId,
                engine(secretAccessKey),
                null,
                roleArn,
                externalId,
                region,
                sshKeyId,
                engine(sshPrivateKey),
                engine(sshPassphrase),
                gitUsername,
                engine(gitPassword));
    }

    public static io.jenkins.plugins.fluxcodecommit.secret.Secret engine(@CheckForNull Secret secret) {
        String plain = Secret.toString(secret);
        return plain.isEmpty() ? null : io.jenkins.plugins.fluxcodecommit.secret.Secret.of(plain);
    }

    public String getIamUser() {
        return iamUser;
    }

    @DataBoundSetter
    public void setIamUser(String iamUser) {
        this.iamUser = Util.fixEmptyAndTrim(iamUser);
    }

    public String getAccessKeyId() {
        return accessKeyId;
    }

    @DataBoundSetter
    public void setAccessKeyId(String accessKeyId) {
        this.accessKeyId = Util.fixEmptyAndTrim(accessKeyId);
    }

    public Secret getSecretAccessKey() {
        return secretAccessKey;
    }

    @DataBoundSetter
    public void setSecretAccessKey(Secret secretAccessKey) {
        this.secretAccessKey = secretAccessKey;
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = Util.fixEmptyAndTrim(roleArn);
    }

    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = Util.fixEmptyAndTrim(externalId);
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = Util.fixEmptyAndTrim(region);
    }

    public String getSshKeyId() {
        return sshKeyId;
    }

    @DataBoundSetter
    public void setSshKeyId(String sshKeyId) {
        this.sshKeyId = Util.fixEmptyAndTrim(sshKeyId);
    }

    public Secret getSshPrivateKey() {
        return sshPrivateKey;
    }

    @DataBoundSetter
    public void setSshPrivateKey(Secret sshPrivateKey) {
        this.sshPrivateKey = sshPrivateKey;
    }

    public Secret getSshPassphrase() {
        return sshPassphrase;
    }

    @DataBoundSetter
    public void setSshPassphrase(Secret sshPassphrase) {
        this.sshPassphrase = sshPassphrase;
    }

    public String getGitUsername() {
        return gitUsername;
    }

    @DataBoundSetter
    public void setGitUsername(String gitUsername) {
        this.gitUsername = Util.fixEmptyAndTrim(gitUsername);
    }

    public Secret getGitPassword() {
        return gitPassword;
    }

    @DataBoundSetter
    public void setGitPassword(Secret gitPassword) {
        this.gitPassword = gitPassword;
    }

    public boolean isRotationWriteBack() {
        return rotationWriteBack;
    }

    /**
     * Whether {@code rotateCodeCommitKey} may replace these secrets from a build that runs as SYSTEM
     * (without it, only a build running as a user with Credentials/Update may).
     */
    @DataBoundSetter
    public void setRotationWriteBack(boolean rotationWriteBack) {
        this.rotationWriteBack = rotationWriteBack;
    }

    /** After a rotation of the access key: the new key replaces the old one. */
    public CodeCommitIdentityCredentials withAccessKey(String id, String secret) {
        CodeCommitIdentityCredentials c = copy();
        c.accessKeyId = id;
        c.secretAccessKey = Secret.fromString(secret);
        return c;
    }

    /** After a rotation of the SSH key: the new key is unencrypted PEM, so the passphrase goes. */
    public CodeCommitIdentityCredentials withSshKey(String keyId, String privateKeyPem) {
        CodeCommitIdentityCredentials c = copy();
        c.sshKeyId = keyId;
        c.sshPrivateKey = Secret.fromString(privateKeyPem);
        c.sshPassphrase = null;
        return c;
    }

    public CodeCommitIdentityCredentials withGitCredentials(String username, String password) {
        CodeCommitIdentityCredentials c = copy();
        c.gitUsername = username;
        c.gitPassword = Secret.fromString(password);
        return c;
    }

    /** Shown in credential lists: the description, else the IDs; never a secret. */
    public static class NameProvider extends CredentialsNameProvider<CodeCommitIdentityCredentials> {
        @NonNull
        @Override
        public String getName(@NonNull CodeCommitIdentityCredentials c) {
            String description = Util.fixEmptyAndTrim(c.getDescription());
            String ids = c.toIdentity().describe();
            return (c.iamUser != null ? c.iamUser + " " : "") + "(" + ids + ")"
                    + (description != null ? " " + description : "");
        }
    }

    @Extension
    @Symbol("codeCommitIdentity")
    public static class DescriptorImpl extends BaseStandardCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodeCommitIdentityCredentials_DisplayName();
        }

        @Override
        public String getIconClassName() {
            return "symbol-id-card";
        }

        @POST
        public FormValidation doCheckAccessKeyId(@AncestorInPath Item item, @QueryParameter String value) {
            return allowed(item) ? Forms.validation(FormCheck.accessKeyId(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckSecretAccessKey(
                @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String accessKeyId) {
            if (!allowed(item) || encrypted(value)) {
                return FormValidation.ok();
            }
            return Forms.validation(FormCheck.secretAccessKey(value, accessKeyId));
        }

        @POST
        public FormValidation doCheckRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
            return allowed(item) ? Forms.validation(FormCheck.roleArn(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return allowed(item) ? Forms.validation(FormCheck.region(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckIamUser(@AncestorInPath Item item, @QueryParameter String value) {
            return allowed(item) ? Forms.validation(FormCheck.iamUser(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckSshKeyId(@AncestorInPath Item item, @QueryParameter String value) {
            return allowed(item) ? Forms.validation(FormCheck.sshKeyId(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckSshPrivateKey(
                @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String sshPassphrase) {
            if (!allowed(item) || encrypted(value) || encrypted(sshPassphrase)) {
                return FormValidation.ok();
            }
            return Forms.validation(FormCheck.privateKey(value, sshPassphrase));
        }

        /**
         * Whether a field holds a secret's encrypted form, as an unchanged field of a stored credential
         * does. Such a value was checked when it was saved, and is never decrypted here: a check
         * would otherwise answer questions about any ciphertext a user pastes in (another
         * credential's, a job's), which this form's user may not read.
         */
        private static boolean encrypted(@CheckForNull String value) {
            return value != null && Secret.decrypt(value) != null;
        }

        /** Only who may create or change credentials here gets answers from these checks. */
        private static boolean allowed(@CheckForNull Item item) {
            return item == null
                    ? Jenkins.get().hasPermission(CredentialsProvider.CREATE)
                            || Jenkins.get().hasPermission(CredentialsProvider.UPDATE)
                    : item.hasPermission(CredentialsProvider.CREATE) || item.hasPermission(CredentialsProvider.UPDATE);
        }
    }
}
