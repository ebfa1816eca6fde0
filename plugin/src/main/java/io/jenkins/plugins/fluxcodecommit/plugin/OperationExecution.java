package io.jenkins.plugins.fluxcodecommit.plugin;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs one operation off the CPS thread with the step's required context. The operation (which
 * holds the step's parameters) is transient: a step interrupted by a controller restart fails
 * rather than resuming half-remembered, and the next run of a rotation finishes its work.
 */
final class OperationExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    @FunctionalInterface
    interface Operation {
        Map<String, Object> run(
                Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
                throws IOException, InterruptedException;
    }

    private final transient Operation operation;

    OperationExecution(StepContext context, Operation operation) {
        super(context);
        this.operation = operation;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext c = getContext();
        return operation.run(
                c.get(Run.class),
                c.get(FilePath.class),
                c.get(EnvVars.class),
                c.get(Launcher.class),
                c.get(TaskListener.class));
    }
}
