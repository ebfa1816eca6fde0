package io.jenkins.plugins.fluxcodecommit.plugin;

import hudson.model.TaskListener;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.io.PrintStream;

/** The engine's progress as build log lines. The engine has redacted every secret it knows of. */
final class BuildLog implements ProgressListener {
    private final PrintStream out;

    BuildLog(TaskListener listener) {
        this.out = listener.getLogger();
    }

    @Override
    public void info(String message) {
        out.println("[flux-codecommit] " + message);
    }

    @Override
    public void warn(String message) {
        out.println("[flux-codecommit] WARNING: " + message);
    }
}
