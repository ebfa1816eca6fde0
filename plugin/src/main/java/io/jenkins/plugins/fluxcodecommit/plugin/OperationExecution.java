package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs a step's operation off the CPS thread with the step's required context. The step is
 * transient: a step interrupted by a controller restart fails rather than resuming
 * half-remembered, and the next run of a rotation finishes its work.
 */
final class OperationExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
    private final transient ClusterStep step;

    OperationExecution(StepContext context, ClusterStep step) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext c = getContext();
        return step.operate(
                c.get(Run.class),
                c.get(FilePath.class),
                c.get(EnvVars.class),
                c.get(Launcher.class),
                c.get(TaskListener.class));
    }
}
