package io.jenkins.plugins.fluxcodecommit.plugin;

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
import java.io.IOException;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** The rotation as a freestyle build step. */
public class RotateCodeCommitKeyBuilder extends OperationBuilder {
    private final RotateCodeCommitKeyStep rotation;

    @DataBoundConstructor
    public RotateCodeCommitKeyBuilder(RotateCodeCommitKeyStep rotation) {
        this.rotation = rotation;
    }

    public RotateCodeCommitKeyStep getRotation() {
        return rotation;
    }

    @Override
    Map<String, Object> run(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws IOException, InterruptedException {
        return Operations.rotate(rotation, run, workspace, env, launcher, listener);
    }

    @Extension
    @Symbol("rotateCodeCommitKeyBuilder")
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
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
