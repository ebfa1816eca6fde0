package io.jenkins.plugins.fluxcodecommit.error;

import java.io.Serial;

/** An SSH server presented a host key that the given known_hosts does not list for it. */
public class HostKeyMismatchException extends FluxCodeCommitException {
    @Serial
    private static final long serialVersionUID = 1L;

    public HostKeyMismatchException(String problem, String fix) {
        super(problem, fix);
    }

    public HostKeyMismatchException(String problem, String fix, Throwable redactedCause) {
        super(problem, fix, redactedCause);
    }
}
