package io.jenkins.plugins.fluxcodecommit.progress;

import io.jenkins.plugins.fluxcodecommit.secret.Redactor;

/** Receives what an operation is doing, for a build log or a terminal. */
public interface ProgressListener {
    /** A line of progress. */
    void info(String message);

    /** Something the user should look at, though the operation goes on. */
    default void warn(String message) {
        info("WARNING: " + message);
    }

    /** A listener that drops everything. */
    static ProgressListener none() {
        return message -> {};
    }

    /** Wraps a listener so that every message passes the redactor first. */
    static ProgressListener redacting(ProgressListener delegate, Redactor redactor) {
        return new ProgressListener() {
            @Override
            public void info(String message) {
                delegate.info(redactor.redact(message));
            }

            @Override
            public void warn(String message) {
                delegate.warn(redactor.redact(message));
            }
        };
    }
}
