package io.jenkins.plugins.fluxcodecommit.plugin.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotateCodeCommitKeyStep;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotationOperation;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code rotateCodeCommitKey} as a freestyle build step. It embeds the Pipeline step, whose form it shows, so the two
 * cannot drift apart, and leaves the result to later steps as {@link ResultVariables}.
 */
public final class RotateCodeCommitKeyBuilder extends Builder implements SimpleBuildStep {
    private final RotateCodeCommitKeyStep step;

    @DataBoundConstructor
    public RotateCodeCommitKeyBuilder(RotateCodeCommitKeyStep step) {
        this.step = step;
    }

    public RotateCodeCommitKeyStep getStep() {
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
        run.addAction(new ResultVariables(RotationOperation.run(step, run, workspace, env, listener)));
    }

    @Extension
    @Symbol("rotateCodeCommitKeyBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RotateCodeCommitKeyBuilder_DisplayName();
        }
    }
}
