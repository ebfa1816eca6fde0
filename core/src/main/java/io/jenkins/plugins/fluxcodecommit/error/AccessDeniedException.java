package io.jenkins.plugins.fluxcodecommit.error;

import java.io.Serial;

/** A remote refused the identity: wrong key, missing IAM permission, wrong region or an inactive key. */
public class AccessDeniedException extends FluxCodeCommitException {
    @Serial
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String problem, String fix) {
        super(problem, fix);
    }

    public AccessDeniedException(String problem, String fix, Throwable redactedCause) {
        super(problem, fix, redactedCause);
    }
}
