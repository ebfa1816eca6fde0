package io.jenkins.plugins.fluxcodecommit.plugin.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.AgentFailures;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.BuildLog;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.Forms;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
 * {@code fluxCodeCommitBootstrap}: what {@code flux bootstrap git} does, natively, with a CodeCommit
 * repository as the cluster's source. The URL is required; every other parameter has Flux's
 * default. Parameters hold credential IDs, never secrets, so nothing secret is kept in the build.
 * With no cluster named, the step runs in export mode: it pushes and applies nothing, writes the
 * files into the workspace and reports the plan.
 */
public final class FluxCodeCommitBootstrapStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private String credentialsId;
    private String region;
    private ClusterSpec cluster;
    private String branch = "main";
    private String path = "";
    private String knownHosts;
    private String caFile;

    private String version = InstallOptions.DEFAULT_VERSION;
    private String namespace = "flux-system";
    private String components;
    private String componentsExtra;
    private String registry;
    private String imagePullSecret;
    private boolean networkPolicy = true;
    private boolean watchAllNamespaces = true;
    private String logLevel = "info";
    private String tolerationKeys;
    private String clusterDomain = "cluster.local";

    private String secretName = "flux-system";
    private String interval = "1m";
    private String authorName = "Flux";
    private String authorEmail;
    private String commitMessageAppendix;
    private String manifests;
    private String manifestsSha256;
    private String releasesUrl;
    private String sourceControllerRoleArn;

    private boolean dryRun;
    private String exportDirectory;
    private boolean force;
    private boolean acceptNewHostKey;
    private boolean waitForHealth = true;
    private String timeout = "5m";

    @DataBoundConstructor
    public FluxCodeCommitBootstrapStep(String url) {
        this.url = Util.fixEmptyAndTrim(url);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getRegion() {
        return region;
    }

    /** The AWS region for STS and an EKS cluster that names none; the URL's or the credential's when empty. */
    @DataBoundSetter
    public void setRegion(String region) {
        this.region = Util.fixEmptyAndTrim(region);
    }

    public ClusterSpec getCluster() {
        return cluster;
    }

    /** The cluster to install Flux into; none for export mode. */
    @DataBoundSetter
    public void setCluster(ClusterSpec cluster) {
        this.cluster = cluster instanceof ClusterSpec.None ? null : cluster;
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch) == null ? "main" : branch.trim();
    }

    public String getPath() {
        return path;
    }

    @DataBoundSetter
    public void setPath(String path) {
        this.path = Util.fixNull(path).trim();
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    /** known_hosts lines for the SSH host; without them the host key is scanned once, as flux does. */
    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        this.knownHosts = Util.fixEmptyAndTrim(knownHosts);
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

    public String getVersion() {
        return version;
    }

    @DataBoundSetter
    public void setVersion(String version) {
        this.version = Util.fixEmptyAndTrim(version) == null ? InstallOptions.DEFAULT_VERSION : version.trim();
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace) == null ? "flux-system" : namespace.trim();
    }

    public String getComponents() {
        return components;
    }

    /** Comma-separated; Flux's four default controllers when empty. */
    @DataBoundSetter
    public void setComponents(String components) {
        this.components = Util.fixEmptyAndTrim(components);
    }

    public String getComponentsExtra() {
        return componentsExtra;
    }

    @DataBoundSetter
    public void setComponentsExtra(String componentsExtra) {
        this.componentsExtra = Util.fixEmptyAndTrim(componentsExtra);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Util.fixEmptyAndTrim(registry);
    }

    public String getImagePullSecret() {
        return imagePullSecret;
    }

    @DataBoundSetter
    public void setImagePullSecret(String imagePullSecret) {
        this.imagePullSecret = Util.fixEmptyAndTrim(imagePullSecret);
    }

    public boolean isNetworkPolicy() {
        return networkPolicy;
    }

    @DataBoundSetter
    public void setNetworkPolicy(boolean networkPolicy) {
        this.networkPolicy = networkPolicy;
    }

    public boolean isWatchAllNamespaces() {
        return watchAllNamespaces;
    }

    @DataBoundSetter
    public void setWatchAllNamespaces(boolean watchAllNamespaces) {
        this.watchAllNamespaces = watchAllNamespaces;
    }

    public String getLogLevel() {
        return logLevel;
    }

    @DataBoundSetter
    public void setLogLevel(String logLevel) {
        this.logLevel = Util.fixEmptyAndTrim(logLevel) == null ? "info" : logLevel.trim();
    }

    public String getTolerationKeys() {
        return tolerationKeys;
    }

    @DataBoundSetter
    public void setTolerationKeys(String tolerationKeys) {
        this.tolerationKeys = Util.fixEmptyAndTrim(tolerationKeys);
    }

    public String getClusterDomain() {
        return clusterDomain;
    }

    @DataBoundSetter
    public void setClusterDomain(String clusterDomain) {
        this.clusterDomain = Util.fixEmptyAndTrim(clusterDomain) == null ? "cluster.local" : clusterDomain.trim();
    }

    public String getSecretName() {
        return secretName;
    }

    @DataBoundSetter
    public void setSecretName(String secretName) {
        this.secretName = Util.fixEmptyAndTrim(secretName) == null ? "flux-system" : secretName.trim();
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = Util.fixEmptyAndTrim(interval) == null ? "1m" : interval.trim();
    }

    public String getAuthorName() {
        return authorName;
    }

    @DataBoundSetter
    public void setAuthorName(String authorName) {
        this.authorName = Util.fixEmptyAndTrim(authorName) == null ? "Flux" : authorName.trim();
    }

    public String getAuthorEmail() {
        return authorEmail;
    }

    @DataBoundSetter
    public void setAuthorEmail(String authorEmail) {
        this.authorEmail = Util.fixEmptyAndTrim(authorEmail);
    }

    public String getCommitMessageAppendix() {
        return commitMessageAppendix;
    }

    @DataBoundSetter
    public void setCommitMessageAppendix(String commitMessageAppendix) {
        this.commitMessageAppendix = Util.fixEmptyAndTrim(commitMessageAppendix);
    }

    public String getManifests() {
        return manifests;
    }

    /** A directory or manifests.tar.gz on the agent, or an http(s) URL of a mirror; the release when empty. */
    @DataBoundSetter
    public void setManifests(String manifests) {
        this.manifests = Util.fixEmptyAndTrim(manifests);
    }

    public String getManifestsSha256() {
        return manifestsSha256;
    }

    @DataBoundSetter
    public void setManifestsSha256(String manifestsSha256) {
        this.manifestsSha256 = Util.fixEmptyAndTrim(manifestsSha256);
    }

    public String getReleasesUrl() {
        return releasesUrl;
    }

    @DataBoundSetter
    public void setReleasesUrl(String releasesUrl) {
        this.releasesUrl = Util.fixEmptyAndTrim(releasesUrl);
    }

    public String getSourceControllerRoleArn() {
        return sourceControllerRoleArn;
    }

    @DataBoundSetter
    public void setSourceControllerRoleArn(String sourceControllerRoleArn) {
        this.sourceControllerRoleArn = Util.fixEmptyAndTrim(sourceControllerRoleArn);
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public String getExportDirectory() {
        return exportDirectory;
    }

    @DataBoundSetter
    public void setExportDirectory(String exportDirectory) {
        this.exportDirectory = Util.fixEmptyAndTrim(exportDirectory);
    }

    public boolean isForce() {
        return force;
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public boolean isAcceptNewHostKey() {
        return acceptNewHostKey;
    }

    /** SSH: replace the host key pinned in the cluster's source secret by the one the host shows now. */
    @DataBoundSetter
    public void setAcceptNewHostKey(boolean acceptNewHostKey) {
        this.acceptNewHostKey = acceptNewHostKey;
    }

    public boolean isWaitForHealth() {
        return waitForHealth;
    }

    @DataBoundSetter
    public void setWaitForHealth(boolean waitForHealth) {
        this.waitForHealth = waitForHealth;
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout) == null ? "5m" : timeout.trim();
    }

    @Extension
    @Symbol("fluxCodeCommitBootstrap")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "fluxCodeCommitBootstrap";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FluxCodeCommitBootstrapStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class, EnvVars.class);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return Forms.identities(item, credentialsId);
        }

        @POST
        public FormValidation doCheckUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.url(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.region(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckInterval(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.interval(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item)
                    ? Forms.validation(FormCheck.duration(value, "the timeout"))
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckSourceControllerRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.roleArn(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckCaFile(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.caFile(value)) : FormValidation.ok();
        }

        public ListBoxModel doFillLogLevelItems() {
            return new ListBoxModel(
                    new ListBoxModel.Option("info"),
                    new ListBoxModel.Option("debug"),
                    new ListBoxModel.Option("error"));
        }
    }

    /**
     * Runs the bootstrap off the CPS thread. A controller restart while it runs fails the step
     * (the default of non-blocking synchronous steps): rerunning it converges, as flux's does.
     */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
        private final transient FluxCodeCommitBootstrapStep step;

        Execution(StepContext context, FluxCodeCommitBootstrapStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext c = getContext();
            return BootstrapOperation.run(
                    step, c.get(Run.class), c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class));
        }
    }

    /** What runs on the agent: the engine, with the request built on the controller. */
    static final class AgentCall extends MasterToSlaveCallable<BootstrapResult, IOException> {
        private static final long serialVersionUID = 1L;
        private final BootstrapRequest request;
        private final HashMap<String, String> environment;
        private final TaskListener listener;

        AgentCall(BootstrapRequest request, Map<String, String> environment, TaskListener listener) {
            this.request = request;
            this.environment = new HashMap<>(environment);
            this.listener = listener;
        }

        @Override
        public BootstrapResult call() throws IOException {
            BuildLog log = new BuildLog(listener);
            try {
                return new Bootstrap(request, environment, Clock.systemUTC()).call(log);
            } catch (RuntimeException e) {
                throw AgentFailures.abort(
                        e,
                        log,
                        AgentFailures.redactor(request.identity(), request.cluster())
                                .add(request.password(), request.sshPrivateKey(), request.sshPassphrase()));
            } finally {
                // The log travels over the channel apart from the result: send it before the result.
                listener.getLogger().flush();
            }
        }
    }
}
