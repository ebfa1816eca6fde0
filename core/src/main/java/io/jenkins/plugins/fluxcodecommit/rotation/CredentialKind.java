package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.util.Locale;

/** The kinds of CodeCommit credential a rotation replaces. */
public enum CredentialKind {
    /** An IAM user's access key (AKIA...), used for SigV4 Git credentials. */
    ACCESS_KEY,
    /** An IAM user's SSH public key; its ID (APKA...) is the SSH user. */
    SSH_KEY,
    /**
     * HTTPS Git credentials: an IAM service-specific credential for codecommit.amazonaws.com (user
     * name and password), as Argo CD uses. IAM allows two; rotation alternates between them.
     */
    HTTPS_GIT_CREDENTIAL;

    /**
     * The kind a user names: {@code access-key}, {@code ssh-key} or {@code https-git-credential}
     * (any case, {@code _} for {@code -}), as the CLI and the Jenkins step take it.
     */
    public static CredentialKind parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(
                    "No credential kind was given.", "Give one of access-key, ssh-key, https-git-credential.");
        }
        return switch (text.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "access-key" -> ACCESS_KEY;
            case "ssh-key" -> SSH_KEY;
            case "https-git-credential" -> HTTPS_GIT_CREDENTIAL;
            default ->
                throw new InvalidInputException(
                        "Unknown credential kind '" + text + "'.", "Use access-key, ssh-key or https-git-credential.");
        };
    }

    /** The name {@link #parse} takes: {@code access-key}, {@code ssh-key}, {@code https-git-credential}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
