package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import java.io.IOException;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

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

    /** A builder's descriptor: its name and form are those of the step it embeds. */
    public abstract static class BuilderDescriptor extends BuildStepDescriptor<Builder> {
        private final Class<? extends StepDescriptor> stepDescriptor;
        private final String displayName;

        /**
         * @param displayName given here, not asked of the step's descriptor: Jenkins sorts descriptors
         *     by display name while it loads them, so a lookup from here would recurse.
         */
        protected BuilderDescriptor(Class<? extends StepDescriptor> stepDescriptor, String displayName) {
            this.stepDescriptor = stepDescriptor;
            this.displayName = displayName;
        }

        /** The embedded step's descriptor, named to f:property because the field's type is generic. */
        public StepDescriptor getStepDescriptor() {
            return Jenkins.get().getDescriptorByType(stepDescriptor);
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return displayName;
        }
    }
}
