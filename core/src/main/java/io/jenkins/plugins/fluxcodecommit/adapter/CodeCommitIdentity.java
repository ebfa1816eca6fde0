package io.jenkins.plugins.fluxcodecommit.adapter;

import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;

/**
 * The secrets of one CodeCommit identity, as a Jenkins credential or a CLI's files hold them:
 * an IAM half (access key, optional role to assume), an SSH half (the SSH key ID and its private
 * key) and an HTTPS Git credentials half. Any half may be absent. Plain data, resolved where the
 * credential lives and sent to where the engine runs; {@code toString} shows IDs, never secrets.
 *
 * @param iamUser the IAM user owning the keys (rotation's default user), or {@code null}
 * @param accessKeyId {@code null} when the IAM half is absent or is the default chain with a role
 * @param region default region for STS and for URLs that do not carry one, or {@code null}
 */
public record CodeCommitIdentity(
        String iamUser,
        String accessKeyId,
        Secret secretAccessKey,
        Secret sessionToken,
        String roleArn,
        String externalId,
        String region,
        String sshKeyId,
        Secret sshPrivateKey,
        Secret sshPassphrase,
        String gitUsername,
        Secret gitPassword)
        implements Serializable {

    public CodeCommitIdentity {
        iamUser = trim(iamUser);
        accessKeyId = trim(accessKeyId);
        roleArn = trim(roleArn);
        externalId = trim(externalId);
        region = trim(region);
        sshKeyId = trim(sshKeyId);
        gitUsername = trim(gitUsername);
        secretAccessKey = empty(secretAccessKey);
        sessionToken = empty(sessionToken);
        sshPrivateKey = empty(sshPrivateKey);
        sshPassphrase = empty(sshPassphrase);
        gitPassword = empty(gitPassword);
    }

    /** No secrets: the default AWS chain of the machine the engine runs on. */
    public static CodeCommitIdentity none() {
        return new CodeCommitIdentity(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * A bootstrap request builder for a repository URL with the half that URL needs applied (see
     * {@link #applyTo}); its URL has the SSH user filled in where the URL had none.
     */
    public BootstrapRequest.Builder bootstrap(String url) {
        String effective = applyTo(BootstrapRequest.builder(url), url);
        BootstrapRequest.Builder builder = BootstrapRequest.builder(effective);
        applyTo(builder, effective);
        return builder;
    }

    /** Only an IAM half: keys, with an optional session token. */
    public static CodeCommitIdentity ofKeys(String accessKeyId, Secret secretAccessKey, Secret sessionToken) {
        return new CodeCommitIdentity(
                null, accessKeyId, secretAccessKey, sessionToken, null, null, null, null, null, null, null, null);
    }

    /** Only an SSH half. */
    public static CodeCommitIdentity ofSsh(String sshKeyId, Secret privateKey, Secret passphrase) {
        return new CodeCommitIdentity(
                null, null, null, null, null, null, null, sshKeyId, privateKey, passphrase, null, null);
    }

    /** Only HTTPS Git credentials. */
    public static CodeCommitIdentity ofGitCredentials(String username, Secret password) {
        return new CodeCommitIdentity(null, null, null, null, null, null, null, null, null, null, username, password);
    }

    public boolean hasIam() {
        return accessKeyId != null || roleArn != null;
    }

    public boolean hasSsh() {
        return sshPrivateKey != null;
    }

    public boolean hasGitCredentials() {
        return gitUsername != null && gitPassword != null;
    }

    /**
     * The AWS identity of the IAM half: the keys, or the role assumed from them (from the default
     * chain of the machine the engine runs on when no keys are given); {@code null} without an IAM
     * half. The role is assumed where the engine runs, not where the credential is stored.
     */
    public AwsIdentity awsIdentity() {
        AwsIdentity keys = accessKeyId == null
                ? null
                : AwsKeys.given(
                        accessKeyId,
                        secretAccessKey,
                        sessionToken,
                        "The credential's access key",
                        "the credential's session token",
                        "add it to the credential, or store an IAM user's key (AKIA…) or a role to assume");
        if (roleArn == null) {
            return keys;
        }
        return new AssumeRole(keys == null ? DefaultChain.create() : keys, roleArn, externalId, null, null);
    }

    /**
     * Puts the half a repository URL needs into a bootstrap request: the SSH half for {@code ssh://}
     * URLs (the key ID becoming the URL's user when the URL has none), else the IAM half, else the
     * HTTPS Git credentials; with neither, the default chain of the machine the engine runs on.
     *
     * @return the URL to bootstrap, with the SSH user filled in where it was missing
     */
    public String applyTo(BootstrapRequest.Builder builder, String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("No repository URL was given.", "Give the repository's clone URL.");
        }
        url = withSshUser(url.strip());
        CodeCommitUrl parsed = CodeCommitUrl.parse(url);
        if (region != null) {
            builder.region(region);
        }
        if (parsed.transport() == CodeCommitUrl.Transport.SSH) {
            if (!hasSsh()) {
                throw new InvalidInputException(
                        "The repository URL " + CodeCommitUrl.redactUserInfo(url) + " is an SSH URL but the credential "
                                + describe() + " has no SSH private key.",
                        "Add the SSH half (SSH key ID and private key) to the credential, or use the https:// URL"
                                + " with the IAM half.");
            }
            if (sshKeyId != null && !sshKeyId.equals(parsed.user())) {
                throw new InvalidInputException(
                        "The SSH URL's user " + parsed.user() + " is not the credential's SSH key ID " + sshKeyId + ".",
                        "CodeCommit identifies the key by that user: write the key ID the private key belongs to.");
            }
            builder.sshKey(sshPrivateKey, sshPassphrase);
            return url;
        }
        if (hasIam()) {
            builder.identity(awsIdentity());
        } else if (hasGitCredentials()) {
            builder.basicAuth(gitUsername, gitPassword);
        } else if (parsed.isCodeCommit()) {
            builder.identity(DefaultChain.create());
        }
        return url;
    }

    // ssh://host/path with no user: the SSH key ID is the user CodeCommit expects.
    private String withSshUser(String url) {
        if (!url.startsWith("ssh://") || sshKeyId == null) {
            return url;
        }
        int slash = url.indexOf('/', "ssh://".length());
        String authority = url.substring("ssh://".length(), slash < 0 ? url.length() : slash);
        return authority.contains("@") ? url : "ssh://" + sshKeyId + "@" + url.substring("ssh://".length());
    }

    /** For logs: which halves there are, with key IDs and ARNs only. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (hasIam()) {
            s.append(accessKeyId != null ? "access key " + accessKeyId : "the default AWS chain");
            if (roleArn != null) {
                s.append(" assuming ").append(roleArn);
            }
        }
        if (hasSsh()) {
            s.append(s.length() == 0 ? "" : ", ").append("SSH key ").append(sshKeyId == null ? "(no ID)" : sshKeyId);
        }
        if (hasGitCredentials()) {
            s.append(s.length() == 0 ? "" : ", ").append("HTTPS Git user ").append(gitUsername);
        }
        return s.length() == 0 ? "(no secrets)" : s.toString();
    }

    @Override
    public String toString() {
        return "CodeCommitIdentity[" + describe() + "]";
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Secret empty(Secret s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
