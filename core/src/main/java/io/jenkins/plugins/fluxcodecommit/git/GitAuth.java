package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;

/** How to authenticate to a Git remote. Plain data that crosses to agents. */
public sealed interface GitAuth extends Serializable {
    /**
     * HTTPS with temporary SigV4 Git credentials computed from an IAM identity.
     *
     * @param region {@code null} to take it from the URL; required for non-standard hosts
     */
    record Iam(AwsIdentity identity, String region) implements GitAuth {}

    /**
     * SSH with a private key; for CodeCommit the URL's user is the IAM SSH key ID.
     *
     * @param knownHosts {@code null} to scan the host once, as Flux does (blank text is refused, not taken as none)
     */
    record SshKey(Secret privateKey, Secret passphrase, String knownHosts) implements GitAuth {}

    /** HTTPS basic authentication, e.g. CodeCommit HTTPS Git credentials (service-specific credentials). */
    record Basic(String username, Secret password) implements GitAuth {}

    /** No credentials: local repositories and public servers. */
    record Anonymous() implements GitAuth {}

    /**
     * Chooses the authentication from what the user gave, refusing combinations that cannot be meant:
     * an IAM identity together with a user name or password, a key for an HTTPS URL, and so on.
     */
    static GitAuth choose(
            CodeCommitUrl url,
            AwsIdentity identity,
            String region,
            String username,
            Secret password,
            Secret sshPrivateKey,
            Secret sshPassphrase,
            String knownHosts) {
        boolean basic = username != null || password != null;
        boolean ssh = sshPrivateKey != null;
        if (identity != null && basic) {
            throw new InvalidInputException(
                    "Both an IAM identity and a user name or password were given for " + url + ".",
                    "Give either the IAM identity (temporary SigV4 Git credentials, like Flux's provider: aws) or"
                            + " HTTPS Git credentials (user name and password), not both.");
        }
        switch (url.transport()) {
            case SSH -> {
                if (!ssh) {
                    throw new InvalidInputException(
                            url + " is an SSH URL, and no SSH private key was given"
                                    + (identity != null || basic
                                            ? " (IAM keys and passwords do not work over SSH)"
                                            : "")
                                    + ".",
                            "Give the private key whose public half is uploaded to IAM, or use the https:// URL with"
                                    + " an IAM identity.");
                }
                return new SshKey(sshPrivateKey, sshPassphrase, knownHosts);
            }
            case HTTPS, HTTP -> {
                if (ssh) {
                    throw new InvalidInputException(
                            "An SSH private key was given for the HTTPS URL " + url + ".",
                            "Use the ssh:// URL with the SSH key ID as user, or give IAM credentials for HTTPS.");
                }
                if (identity != null) {
                    // codecommit::REGION://PROFILE@REPO names the profile of the default chain.
                    if (identity instanceof DefaultChain chain && chain.profile() == null && url.profile() != null) {
                        return new Iam(new DefaultChain(url.profile()), region);
                    }
                    return new Iam(identity, region);
                }
                if (basic) {
                    if (username == null || username.isBlank() || password == null) {
                        throw new InvalidInputException(
                                "HTTPS Git credentials need both a user name and a password; only one was given.",
                                "Give both, as IAM showed them when the HTTPS Git credential was created.");
                    }
                    return new Basic(username, password);
                }
                if (url.isCodeCommit()) {
                    throw new InvalidInputException(
                            "No credentials were given for the CodeCommit URL " + url + ".",
                            "Give an IAM identity (access key, role or the default chain) or HTTPS Git credentials.");
                }
                return new Anonymous();
            }
            default -> {
                if (identity != null || basic || ssh) {
                    throw new InvalidInputException(
                            url + " is a local repository; credentials do not apply to it.", "Drop the credentials.");
                }
                return new Anonymous();
            }
        }
    }
}
