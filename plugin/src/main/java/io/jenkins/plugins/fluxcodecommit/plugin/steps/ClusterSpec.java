package io.jenkins.plugins.fluxcodecommit.plugin;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What both steps take to reach AWS and a cluster: the region, the cluster (an EKS cluster by
 * name, a kubeconfig credential or file with a context, or the agent pod's service account) and
 * AWS endpoint overrides for private VPCs.
 */
public abstract class ClusterStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private String region;
    private String eksCluster;
    private String eksRegion;
    private boolean inCluster;
    private String kubeconfigCredentialsId;
    private String kubeconfig;
    private String context;
    private String stsEndpoint;
    private String iamEndpoint;
    private String eksEndpoint;

    /** Runs the operation for a build: in a Pipeline through {@link OperationExecution}, else from a builder. */
    abstract Map<String, Object> operate(
            Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws IOException, InterruptedException;

    @Override
    public StepExecution start(StepContext context) {
        return new OperationExecution(context, this);
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = Util.fixEmptyAndTrim(region);
    }

    public String getEksCluster() {
        return eksCluster;
    }

    /** An EKS cluster by name: endpoint and CA from DescribeCluster, an IAM token signed here. */
    @DataBoundSetter
    public void setEksCluster(String eksCluster) {
        this.eksCluster = Util.fixEmptyAndTrim(eksCluster);
    }

    public String getEksRegion() {
        return eksRegion;
    }

    @DataBoundSetter
    public void setEksRegion(String eksRegion) {
        this.eksRegion = Util.fixEmptyAndTrim(eksRegion);
    }

    public boolean isInCluster() {
        return inCluster;
    }

    @DataBoundSetter
    public void setInCluster(boolean inCluster) {
        this.inCluster = inCluster;
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    /** A secret file or secret text credential holding a kubeconfig. */
    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        this.kubeconfigCredentialsId = Util.fixEmptyAndTrim(kubeconfigCredentialsId);
    }

    public String getKubeconfig() {
        return kubeconfig;
    }

    /** A kubeconfig file on the agent, relative to the workspace or absolute. */
    @DataBoundSetter
    public void setKubeconfig(String kubeconfig) {
        this.kubeconfig = Util.fixEmptyAndTrim(kubeconfig);
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getStsEndpoint() {
        return stsEndpoint;
    }

    /** An STS endpoint to use instead of the public one: a VPC interface endpoint, FIPS. */
    @DataBoundSetter
    public void setStsEndpoint(String stsEndpoint) {
        this.stsEndpoint = Util.fixEmptyAndTrim(stsEndpoint);
    }

    public String getIamEndpoint() {
        return iamEndpoint;
    }

    @DataBoundSetter
    public void setIamEndpoint(String iamEndpoint) {
        this.iamEndpoint = Util.fixEmptyAndTrim(iamEndpoint);
    }

    public String getEksEndpoint() {
        return eksEndpoint;
    }

    @DataBoundSetter
    public void setEksEndpoint(String eksEndpoint) {
        this.eksEndpoint = Util.fixEmptyAndTrim(eksEndpoint);
    }

    /** The AWS endpoints as the engine takes them. */
    AwsSettings aws() {
        return AwsSettings.defaults()
                .withStsEndpoint(uri(stsEndpoint))
                .withIamEndpoint(uri(iamEndpoint))
                .withEksEndpoint(uri(eksEndpoint));
    }

    private static URI uri(String s) {
        if (s == null) {
            return null;
        }
        try {
            URI uri = new URI(s);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(s, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException(
                    "'" + s + "' is not an endpoint URL: " + e.getReason() + ".",
                    "Give the endpoint as https://HOST, e.g. https://sts.eu-west-1.amazonaws.com.");
        }
    }

    /** The context both steps need, and the form methods of the fields above. */
    public abstract static class ClusterStepDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class, EnvVars.class);
        }

        @POST
        public ListBoxModel doFillKubeconfigCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String kubeconfigCredentialsId) {
            return Forms.kubeconfigs(item, kubeconfigCredentialsId);
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.region(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckEksRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.canConfigure(item) ? Forms.validation(FormCheck.region(value)) : FormValidation.ok();
        }
    }
}
