package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;

/**
 * A freestyle build step that runs a Pipeline step's operation. It embeds the step, whose form it
 * shows, so the two cannot drift apart, and leaves the result to later steps as
 * {@link ResultVariables}.
 */
public abstract class OperationBuilder<S extends ClusterStep> extends Builder implements SimpleBuildStep {
    private final S step;

    protected OperationBuilder(S step) {
        this.step = step;
    }

    public S getStep() {
        return step;
    }

    @Override
    public void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        run.addAction(new ResultVariables(step.operate(run, workspace, env, launcher, listener)));
    }
}
