package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import java.io.IOException;
import java.util.Map;
import jenkins.tasks.SimpleBuildStep;

/**
 * A freestyle build step that runs one operation with the parameters of its Pipeline step (whose
 * form it shows, so the two cannot drift apart) and leaves the result to later steps as
 * {@link ResultVariables}.
 */
public abstract class OperationBuilder extends Builder implements SimpleBuildStep {
    abstract Map<String, Object> run(
            Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws IOException, InterruptedException;

    @Override
    public void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        run.addAction(new ResultVariables(run(run, workspace, env, launcher, listener)));
    }
}
