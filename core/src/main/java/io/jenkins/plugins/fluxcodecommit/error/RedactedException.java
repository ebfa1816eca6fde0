package io.jenkins.plugins.fluxcodecommit.error;

import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.io.Serial;

/**
 * A copy of a library exception whose messages, down the cause chain, have passed the redactor.
 * It keeps the original class name and stack traces, so a bug can still be diagnosed.
 */
public final class RedactedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String originalClass;

    private RedactedException(String originalClass, String message, Throwable cause) {
        super(message, cause);
        this.originalClass = originalClass;
    }

    public static RedactedException of(Throwable t, Redactor redactor) {
        if (t == null) {
            return null;
        }
        if (t instanceof RedactedException r) {
            return r;
        }
        Throwable cause = t.getCause() == t ? null : t.getCause();
        RedactedException copy =
                new RedactedException(t.getClass().getName(), redactor.redact(t.getMessage()), of(cause, redactor));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** The class of the exception this copies. */
    public String originalClass() {
        return originalClass;
    }

    /** The deepest message in the chain: usually the one that says what really happened. */
    public String rootMessage() {
        Throwable t = this;
        String message = getMessage();
        while (t.getCause() != null) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClass : originalClass + ": " + message;
    }
}
