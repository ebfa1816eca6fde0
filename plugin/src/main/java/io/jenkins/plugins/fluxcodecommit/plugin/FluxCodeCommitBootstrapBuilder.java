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

/** The bootstrap as a freestyle build step. */
public class FluxCodeCommitBootstrapBuilder extends OperationBuilder {
    private final FluxCodeCommitBootstrapStep bootstrap;

    @DataBoundConstructor
    public FluxCodeCommitBootstrapBuilder(FluxCodeCommitBootstrapStep bootstrap) {
        this.bootstrap = bootstrap;
    }

    public FluxCodeCommitBootstrapStep getBootstrap() {
        return bootstrap;
    }

    @Override
    Map<String, Object> run(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws IOException, InterruptedException {
        return Operations.bootstrap(bootstrap, run, workspace, env, launcher, listener);
    }

    @Extension
    @Symbol("fluxCodeCommitBootstrapBuilder")
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
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
