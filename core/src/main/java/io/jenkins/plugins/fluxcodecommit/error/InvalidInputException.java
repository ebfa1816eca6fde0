package io.jenkins.plugins.fluxcodecommit.error;

import java.io.Serial;

/** An input the user gave is malformed, inconsistent or refused by CodeCommit's rules. */
public class InvalidInputException extends FluxCodeCommitException {
    @Serial
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String problem, String fix) {
        super(problem, fix);
    }

    public InvalidInputException(String problem, String fix, Throwable redactedCause) {
        super(problem, fix, redactedCause);
    }
}
