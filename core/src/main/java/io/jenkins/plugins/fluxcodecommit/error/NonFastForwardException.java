package io.jenkins.plugins.fluxcodecommit.error;

import java.io.Serial;

/** A push was refused because the remote branch moved; the caller may fetch and redo its change. */
public class NonFastForwardException extends FluxCodeCommitException {
    @Serial
    private static final long serialVersionUID = 1L;

    public NonFastForwardException(String problem, String fix) {
        super(problem, fix);
    }

    public NonFastForwardException(String problem, String fix, Throwable redactedCause) {
        super(problem, fix, redactedCause);
    }
}
