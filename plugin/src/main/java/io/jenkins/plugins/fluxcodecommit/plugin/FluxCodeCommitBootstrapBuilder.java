package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractProject;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** The bootstrap as a freestyle build step. */
public class FluxCodeCommitBootstrapBuilder extends OperationBuilder<FluxCodeCommitBootstrapStep> {
    @DataBoundConstructor
    public FluxCodeCommitBootstrapBuilder(FluxCodeCommitBootstrapStep step) {
        super(step);
    }

    @Extension
    @Symbol("fluxCodeCommitBootstrapBuilder")
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
        /** The embedded step's descriptor: its form is this builder's form. */
        public FluxCodeCommitBootstrapStep.DescriptorImpl getStepDescriptor() {
            return Jenkins.get().getDescriptorByType(FluxCodeCommitBootstrapStep.DescriptorImpl.class);
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Bootstrap Flux from an AWS CodeCommit repository";
        }
    }
}
