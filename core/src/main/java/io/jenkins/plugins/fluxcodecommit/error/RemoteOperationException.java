package io.jenkins.plugins.fluxcodecommit.error;

import java.io.Serial;

/** A remote operation (Git, AWS, Kubernetes) failed for a reason other than access or input. */
public class RemoteOperationException extends FluxCodeCommitException {
    @Serial
    private static final long serialVersionUID = 1L;

    public RemoteOperationException(String problem, String fix) {
        super(problem, fix);
    }

    public RemoteOperationException(String problem, String fix, Throwable redactedCause) {
        super(problem, fix, redactedCause);
    }
}
