package io.jenkins.plugins.fluxcodecommit.codecommit;

import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.time.Duration;
import java.time.Instant;

/**
 * A temporary CodeCommit HTTPS Git credential. The user name is a secret too: with temporary AWS
 * credentials it carries the session token after a {@code %}.
 */
public record GitHttpCredential(String accessKeyId, Secret username, Secret password, Instant signedAt) {
    /** How long CodeCommit accepts a signed password. */
    public static final Duration VALIDITY = Duration.ofMinutes(15);

    public Instant expiresAt() {
        return signedAt.plus(VALIDITY);
    }
}
