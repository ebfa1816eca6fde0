package io.jenkins.plugins.fluxcodecommit.plugin;

import hudson.Extension;
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
    public static class DescriptorImpl extends BuilderDescriptor {
        public DescriptorImpl() {
            super(RotateCodeCommitKeyStep.DescriptorImpl.class, "Rotate the CodeCommit credential a cluster uses");
        }
    }
}
