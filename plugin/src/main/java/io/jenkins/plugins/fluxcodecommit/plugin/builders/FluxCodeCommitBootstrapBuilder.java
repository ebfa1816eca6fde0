package io.jenkins.plugins.fluxcodecommit.plugin;

import hudson.Extension;
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
    public static class DescriptorImpl extends BuilderDescriptor {
        public DescriptorImpl() {
            super(FluxCodeCommitBootstrapStep.DescriptorImpl.class, "Bootstrap Flux from an AWS CodeCommit repository");
        }
    }
}
