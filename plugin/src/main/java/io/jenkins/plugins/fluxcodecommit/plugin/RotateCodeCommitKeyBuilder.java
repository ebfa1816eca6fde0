package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractProject;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** The rotation as a freestyle build step. */
public class RotateCodeCommitKeyBuilder extends OperationBuilder<RotateCodeCommitKeyStep> {
    @DataBoundConstructor
    public RotateCodeCommitKeyBuilder(RotateCodeCommitKeyStep step) {
        super(step);
    }

    @Extension
    @Symbol("rotateCodeCommitKeyBuilder")
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
        /** The embedded step's descriptor: its form is this builder's form. */
        public RotateCodeCommitKeyStep.DescriptorImpl getStepDescriptor() {
            return Jenkins.get().getDescriptorByType(RotateCodeCommitKeyStep.DescriptorImpl.class);
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Rotate the CodeCommit credential a cluster uses";
        }
    }
}
