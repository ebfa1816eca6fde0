package io.jenkins.plugins.fluxcodecommit.plugin.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.AgentFailures;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.BuildLog;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.Forms;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.Rotation;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import jenkins.security.MasterToSlaveCallable;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code rotateCodeCommitKey}: replaces the CodeCommit credential one cluster uses (an IAM access
 * key, an IAM SSH key or HTTPS Git credentials) in IAM, in the cluster's secrets, and in the Jenkins
 * credential given as {@code credentialsId}, with a working credential in place at every moment.
 * Safe to run on a schedule: with {@code maxAgeDays} it rotates only what is due, and an
 * interrupted run is finished (or rolled back) by the next one.
 */
public final class RotateCodeCommitKeyStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private ClusterSpec cluster;
    private String region;
    private String user;
    private String credentialsId;
    private String awsCredentialsId;
    private String name;

    private List<RotationTargetSpec> targets = new ArrayList<>();
    private String repositoryUrl;
    private int maxAgeDays;
    private boolean force;
    private boolean dryRun;
    private String deleteAfter = "168h";
    private String deactivateAfter = "24h";
    private String verifyTimeout = "2m";
    private String caFile;

    /** @param kind {@code access-key}, {@code ssh-key} or {@code https-git-credential} */
    @DataBoundConstructor
    public RotateCodeCommitKeyStep(String kind) {
        this.kind = Util.fixEmptyAndTrim(kind);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    public String getKind() {
        return kind;
    }

    public ClusterSpec getCluster() {
        return cluster;
    }

    /** The cluster whose secrets hold the credential. */
    @DataBoundSetter
    public void setCluster(ClusterSpec cluster) {
        this.cluster = cluster instanceof ClusterSpec.None ? null : cluster;
    }

    public String getRegion() {
        return region;
    }

    /** The AWS region for STS and an EKS cluster that names none; the credential's when empty. */
    @DataBoundSetter
    public void setRegion(String region) {
        this.region = Util.fixEmptyAndTrim(region);
    }

    public String getUser() {
        return user;
    }

    /** The IAM user whose credential the cluster uses; by default the credential's IAM user. */
    @DataBoundSetter
    public void setUser(String user) {
        this.user = Util.fixEmptyAndTrim(user);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** The Jenkins credential that holds the rotated credential, and takes the new one. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getAwsCredentialsId() {
        return awsCredentialsId;
    }

    /** Who calls IAM; by default the agent's AWS chain (instance profile, IRSA, Pod Identity). */
    @DataBoundSetter
    public void setAwsCredentialsId(String awsCredentialsId) {
        this.awsCredentialsId = Util.fixEmptyAndTrim(awsCredentialsId);
    }

    public String getName() {
        return name;
    }

    /** A label for the log and the result: the cluster's name by default. */
    @DataBoundSetter
    public void setName(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public List<RotationTargetSpec> getTargets() {
        return targets;
    }

    /** Where the credential goes in the cluster; Flux's {@code flux-system} source when empty. */
    @DataBoundSetter
    public void setTargets(List<RotationTargetSpec> targets) {
        this.targets = targets == null ? new ArrayList<>() : new ArrayList<>(targets);
    }

    public String getRepositoryUrl() {
        return repositoryUrl;
    }

    @DataBoundSetter
    public void setRepositoryUrl(String repositoryUrl) {
        this.repositoryUrl = Util.fixEmptyAndTrim(repositoryUrl);
    }

    public int getMaxAgeDays() {
        return maxAgeDays;
    }

    /** Rotate only a credential older than this; 0 rotates at every run. */
    @DataBoundSetter
    public void setMaxAgeDays(int maxAgeDays) {
        this.maxAgeDays = Math.max(0, maxAgeDays);
    }

    public boolean isForce() {
        return force;
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public String getDeleteAfter() {
        return deleteAfter;
    }

    /** How long the old credential stays inactive before a later run deletes it: a duration, 0, or never. */
    @DataBoundSetter
    public void setDeleteAfter(String deleteAfter) {
        this.deleteAfter = Util.fixEmptyAndTrim(deleteAfter) == null ? "168h" : deleteAfter.trim();
    }

    public String getDeactivateAfter() {
        return deactivateAfter;
    }

    /** Without evidence that every consumer uses the new credential, how long the old one stays active. */
    @DataBoundSetter
    public void setDeactivateAfter(String deactivateAfter) {
        this.deactivateAfter = Util.fixEmptyAndTrim(deactivateAfter) == null ? "24h" : deactivateAfter.trim();
    }

    public String getVerifyTimeout() {
        return verifyTimeout;
    }

    @DataBoundSetter
    public void setVerifyTimeout(String verifyTimeout) {
        this.verifyTimeout = Util.fixEmptyAndTrim(verifyTimeout) == null ? "2m" : verifyTimeout.trim();
    }

    public String getCaFile() {
        return caFile;
    }

    /**
     * A PEM file of CA certificates on the agent (relative to the workspace), trusted on top of the
     * agent JVM's for Git over HTTPS, AWS and the Kubernetes API: a TLS proxy's or a private CA's.
     */
    @DataBoundSetter
    public void setCaFile(String caFile) {
        this.caFile = Util.fixEmptyAndTrim(caFile);
    }

    @Extension
    @Symbol("rotateCodeCommitKey")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "rotateCodeCommitKey";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RotateCodeCommitKeyStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class, EnvVars.class);
        }

        /** A rotation needs a cluster: the form offers no "none". */
        public List<Descriptor<ClusterSpec>> getClusterDescriptors() {
            return Jenkins.get().getDescriptorList(ClusterSpec.class).stream()
                    .filter(d -> !(d instanceof ClusterSpec.None.DescriptorImpl))
                    .toList();
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.region(value)) : FormValidation.ok();
        }

        public ListBoxModel doFillKindItems() {
            ListBoxModel items = new ListBoxModel();
            for (CredentialKind k : CredentialKind.values()) {
                items.add(k.label());
            }
            return items;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return Forms.identities(item, credentialsId);
        }

        @POST
        public ListBoxModel doFillAwsCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String awsCredentialsId) {
            return Forms.identities(item, awsCredentialsId);
        }

        @POST
        public FormValidation doCheckKind(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.kind(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckUser(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.iamUser(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckDeleteAfter(@AncestorInPath Item item, @QueryParameter String value) {
            if (!Forms.canConfigure(item) || "never".equals(Util.fixEmptyAndTrim(value))) {
                return FormValidation.ok();
            }
            return Forms.validation(FormCheck.duration(value, "deleteAfter"));
        }

        @POST
        public FormValidation doCheckDeactivateAfter(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item)
                    ? Forms.validation(FormCheck.duration(value, "deactivateAfter"))
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckCaFile(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.caFile(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckVerifyTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item)
                    ? Forms.validation(FormCheck.duration(value, "verifyTimeout"))
                    : FormValidation.ok();
        }
    }

    /**
     * Runs the rotation off the CPS thread. A controller restart while it runs fails the step (the
     * default of non-blocking synchronous steps); the rotation's state in the cluster lets the next
     * run finish or roll back what this one started.
     */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
        private final transient RotateCodeCommitKeyStep step;

        Execution(StepContext context, RotateCodeCommitKeyStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext c = getContext();
            return RotationOperation.run(
                    step, c.get(Run.class), c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class));
        }
    }

    /** What runs on the agent: the engine, reporting the new credential to the controller's write-back. */
    static final class AgentCall extends MasterToSlaveCallable<RotationResult, IOException> {
        private static final long serialVersionUID = 1L;
        private final RotationRequest request;
        private final HashMap<String, String> environment;
        private final TaskListener listener;

        @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "A channel-exported proxy, which is serializable.")
        private final CredentialSink sink;

        /** @param sink a proxy exported by the controller (the write-back itself on a local channel), or null */
        AgentCall(
                RotationRequest request, Map<String, String> environment, TaskListener listener, CredentialSink sink) {
            this.request = request;
            this.environment = new HashMap<>(environment);
            this.listener = listener;
            this.sink = sink;
        }

        @Override
        public RotationResult call() throws IOException {
            BuildLog log = new BuildLog(listener);
            try {
                return new Rotation(request, environment, Clock.systemUTC())
                        .call(log, sink == null ? CredentialSink.none() : sink);
            } catch (RuntimeException e) {
                throw AgentFailures.abort(e, log, AgentFailures.redactor(request.identity(), request.cluster()));
            } finally {
                // The log travels over the channel apart from the result: send it before the result.
                listener.getLogger().flush();
            }
        }
    }
}
