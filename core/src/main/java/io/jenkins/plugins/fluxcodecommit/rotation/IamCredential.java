package io.jenkins.plugins.fluxcodecommit.rotation;

import java.io.Serializable;
import java.time.Instant;

/**
 * A credential as IAM lists it: no secret.
 *
 * @param lastUsed when it was last used, or {@code null} if never (access keys only)
 */
public record IamCredential(String id, boolean active, Instant created, Instant lastUsed) implements Serializable {}
