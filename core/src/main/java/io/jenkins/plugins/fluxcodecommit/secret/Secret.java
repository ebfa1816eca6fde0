package io.jenkins.plugins.fluxcodecommit.secret;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (secret key, session token, Git password, private key, passphrase) that never
 * shows itself through {@link #toString()}.
 */
public final class Secret implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret value; {@code null} stays {@code null} so optional secrets read naturally. */
    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    /** The secret itself: call only where the value is handed to the library that needs it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // secrets are not meant as hash keys; a constant avoids leaking anything through hashes
    }

    @Override
    public String toString() {
        return MASK;
    }

    /** Null-safe reveal for optional secrets. */
    public static String revealOrNull(Secret secret) {
        return secret == null ? null : secret.reveal();
    }
}
