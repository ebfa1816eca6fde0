package io.jenkins.plugins.fluxcodecommit.plugin.internal;

import hudson.model.TaskListener;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.io.PrintStream;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** The engine's progress as build log lines. The engine has redacted every secret it knows of. */
@Restricted(NoExternalUse.class)
public final class BuildLog implements ProgressListener {
    private final PrintStream out;

    public BuildLog(TaskListener listener) {
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
