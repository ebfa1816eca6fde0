package io.jenkins.plugins.fluxcodecommit.error;

import java.io.Serial;

/**
 * A failure the user can act on: the message says what was wrong, naming the offending value with
 * secrets redacted, and {@link #fix()} says what to do. Front ends print these without a stack
 * trace; any other exception is a bug and is shown with one.
 */
public class FluxCodeCommitException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String fix;

    public FluxCodeCommitException(String problem, String fix) {
        this(problem, fix, null);
    }

    /**
     * @param cause must already be redacted (see {@link RedactedException#of}); library
     *     exceptions can carry secrets in their messages
     */
    public FluxCodeCommitException(String problem, String fix, Throwable cause) {
        super(fix == null ? problem : problem + "\nFix: " + fix, cause);
        this.problem = problem;
        this.fix = fix;
    }

    /**
     * The error of ours in a library exception's cause chain, or {@code null}: a credentials
     * provider of ours, called inside an SDK call, fails with one, which the library wraps.
     */
    public static FluxCodeCommitException findIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FluxCodeCommitException ours) {
                return ours;
            }
        }
        return null;
    }

    /** What was wrong, without the fix. */
    public String problem() {
        return problem;
    }

    /** What the user should do, or {@code null} when nothing specific can be said. */
    public String fix() {
        return fix;
    }
}
