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
import io.jenkins.plugins.fluxcodecommit.plugin.steps.BootstrapOperation;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.FluxCodeCommitBootstrapStep;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code fluxCodeCommitBootstrap} as a freestyle build step. It embeds the Pipeline step, whose form it shows, so the two
 * cannot drift apart, and leaves the result to later steps as {@link ResultVariables}.
 */
public final class FluxCodeCommitBootstrapBuilder extends Builder implements SimpleBuildStep {
    private final FluxCodeCommitBootstrapStep step;

    @DataBoundConstructor
    public FluxCodeCommitBootstrapBuilder(FluxCodeCommitBootstrapStep step) {
        this.step = step;
    }

    public FluxCodeCommitBootstrapStep getStep() {
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
        run.addAction(new ResultVariables(BootstrapOperation.run(step, run, workspace, env, listener)));
    }

    @Extension
    @Symbol("fluxCodeCommitBootstrapBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FluxCodeCommitBootstrapBuilder_DisplayName();
        }
    }
}
