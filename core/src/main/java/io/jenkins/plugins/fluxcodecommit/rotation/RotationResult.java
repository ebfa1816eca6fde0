package io.jenkins.plugins.fluxcodecommit.rotation;

import java.io.Serializable;
import java.time.Duration;

/**
 * What one cluster's rotation did; never a secret.
 *
 * @param iamCalls IAM API calls made, polling for the new credential excluded
 */
public record RotationResult(
        String name,
        CredentialKind kind,
        String oldId,
        String newId,
        Outcome outcome,
        String message,
        Duration took,
        int iamCalls)
        implements Serializable {
    /** How a rotation ended. */
    public enum Outcome {
        ROTATED,
        NOT_DUE,
        PLANNED,
        FAILED
    }
}
