package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import java.io.Serializable;
import java.time.Duration;

/**
 * What one cluster's rotation did; never a secret.
 *
 * @param message for a failure, its problem and fix in one line
 * @param iamCalls IAM API calls made, polling for the new credential excluded
 * @param failure why the rotation failed, with its class of error, problem and fix; {@code null}
 *     unless the outcome is {@link Outcome#FAILED}
 */
public record RotationResult(
        String name,
        CredentialKind kind,
        String oldId,
        String newId,
        Outcome outcome,
        String message,
        Duration took,
        int iamCalls,
        FluxCodeCommitException failure)
        implements Serializable {
    /** How a rotation ended. */
    public enum Outcome {
        ROTATED,
        NOT_DUE,
        PLANNED,
        FAILED
    }

    /** A result that is not a failure. */
    public RotationResult(
            String name,
            CredentialKind kind,
            String oldId,
            String newId,
            Outcome outcome,
            String message,
            Duration took,
            int iamCalls) {
        this(name, kind, oldId, newId, outcome, message, took, iamCalls, null);
    }

    /** A rotation that ended with a failure the user can act on. */
    public static RotationResult failed(RotationRequest request, FluxCodeCommitException failure, Duration took) {
        return new RotationResult(
                request.name(),
                request.kind(),
                null,
                null,
                Outcome.FAILED,
                failure.problem() + (failure.fix() == null ? "" : " Fix: " + failure.fix()),
                took,
                0,
                failure);
    }
}
