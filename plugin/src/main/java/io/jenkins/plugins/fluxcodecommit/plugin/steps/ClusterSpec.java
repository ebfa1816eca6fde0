package io.jenkins.plugins.fluxcodecommit.plugin.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.Identities;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.Forms;
import java.io.IOException;
import java.io.Serializable;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The cluster a step works on, one of the engine's {@link ClusterTarget}s: an EKS cluster by name,
 * a kubeconfig from a credential or a file on the agent, or the agent pod's own service account.
 * In a Pipeline: {@code cluster: eksCluster(name: 'prod', region: 'eu-west-1')}.
 */
public abstract class ClusterSpec extends AbstractDescribableImpl<ClusterSpec> implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The engine's target, resolved on the controller for this build: credentials become their
     * content, paths are taken relative to the workspace.
     *
     * @param region the step's region, for an EKS cluster that names none
     * @return {@code null} for no cluster (bootstrap's export mode)
     */
    @CheckForNull
    abstract ClusterTarget toTarget(Run<?, ?> run, FilePath workspace, EnvVars env, @CheckForNull String region)
            throws IOException;

    /** What a user calls this cluster: a rotation's default name in the log and the result. */
    abstract String label();

    /** No cluster: bootstrap writes its files into the workspace and applies nothing (export mode). */
    public static final class None extends ClusterSpec {
        private static final long serialVersionUID = 1L;

        @DataBoundConstructor
        public None() {}

        @Override
        ClusterTarget toTarget(Run<?, ?> run, FilePath workspace, EnvVars env, String region) {
            return null;
        }

        @Override
        String label() {
            return "no cluster";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof None;
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Extension(ordinal = 100)
        @Symbol("noCluster")
        public static final class DescriptorImpl extends Descriptor<ClusterSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.ClusterSpec_None_DisplayName();
            }
        }
    }

    /** An EKS cluster by name: endpoint and CA from DescribeCluster, an IAM token signed by the step. */
    public static final class EksCluster extends ClusterSpec {
        private static final long serialVersionUID = 1L;
        private final String name;
        private String region;

        @DataBoundConstructor
        public EksCluster(String name) {
            this.name = Util.fixEmptyAndTrim(name);
        }

        public String getName() {
            return name;
        }

        public String getRegion() {
            return region;
        }

        /** The cluster's region; the step's region when empty. */
        @DataBoundSetter
        public void setRegion(String region) {
            this.region = Util.fixEmptyAndTrim(region);
        }

        @Override
        String label() {
            return name;
        }

        @Override
        ClusterTarget toTarget(Run<?, ?> run, FilePath workspace, EnvVars env, String stepRegion) {
            if (name == null) {
                throw new InvalidInputException(
                        "eksCluster needs name.", "Give the EKS cluster's name, e.g. eksCluster(name: 'prod').");
            }
            return ClusterTarget.select(name, region != null ? region : stepRegion, false, null, null, null, env);
        }

        @Extension(ordinal = 90)
        @Symbol("eksCluster")
        public static final class DescriptorImpl extends Descriptor<ClusterSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.ClusterSpec_EksCluster_DisplayName();
            }

            @POST
            public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
                return Forms.canConfigure(item) ? Forms.validation(FormCheck.region(value)) : FormValidation.ok();
            }
        }
    }

    /** A kubeconfig held by a secret file or secret text credential, with an optional context. */
    public static final class KubeconfigCredentials extends ClusterSpec {
        private static final long serialVersionUID = 1L;
        private final String credentialsId;
        private String context;

        @DataBoundConstructor
        public KubeconfigCredentials(String credentialsId) {
            this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        }

        public String getCredentialsId() {
            return credentialsId;
        }

        public String getContext() {
            return context;
        }

        @DataBoundSetter
        public void setContext(String context) {
            this.context = Util.fixEmptyAndTrim(context);
        }

        @Override
        String label() {
            return context != null ? context : credentialsId;
        }

        @Override
        ClusterTarget toTarget(Run<?, ?> run, FilePath workspace, EnvVars env, String region) throws IOException {
            if (credentialsId == null) {
                throw new InvalidInputException(
                        "kubeconfigCredentials needs credentialsId.",
                        "Give the ID of a secret file or secret text credential holding the kubeconfig.");
            }
            return ClusterTarget.select(
                    null, region, false, null, Identities.kubeconfig(credentialsId, run), context, env);
        }

        @Extension(ordinal = 80)
        @Symbol("kubeconfigCredentials")
        public static final class DescriptorImpl extends Descriptor<ClusterSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.ClusterSpec_KubeconfigCredentials_DisplayName();
            }

            @POST
            public ListBoxModel doFillCredentialsIdItems(
                    @AncestorInPath Item item, @QueryParameter String credentialsId) {
                return Forms.kubeconfigs(item, credentialsId);
            }
        }
    }

    /**
     * A kubeconfig file on the agent (relative to the workspace), or the agent's default one
     * ({@code KUBECONFIG}, {@code ~/.kube/config}) when the path is empty, with an optional context.
     */
    public static final class KubeconfigFile extends ClusterSpec {
        private static final long serialVersionUID = 1L;
        private String path;
        private String context;

        @DataBoundConstructor
        public KubeconfigFile() {}

        public String getPath() {
            return path;
        }

        @DataBoundSetter
        public void setPath(String path) {
            this.path = Util.fixEmptyAndTrim(path);
        }

        public String getContext() {
            return context;
        }

        @DataBoundSetter
        public void setContext(String context) {
            this.context = Util.fixEmptyAndTrim(context);
        }

        @Override
        String label() {
            return context != null ? context : path != null ? path : "default kubeconfig";
        }

        @Override
        ClusterTarget toTarget(Run<?, ?> run, FilePath workspace, EnvVars env, String region) {
            // No path means the agent's default kubeconfig, with or without a context.
            return path == null
                    ? ClusterTarget.defaultKubeconfig(env, context)
                    : ClusterTarget.select(
                            null, region, false, new FilePath(workspace, path).getRemote(), null, context, env);
        }

        @Extension(ordinal = 70)
        @Symbol("kubeconfigFile")
        public static final class DescriptorImpl extends Descriptor<ClusterSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.ClusterSpec_KubeconfigFile_DisplayName();
            }
        }
    }

    /** The service account of the agent pod the step runs in. */
    public static final class InCluster extends ClusterSpec {
        private static final long serialVersionUID = 1L;

        @DataBoundConstructor
        public InCluster() {}

        @Override
        ClusterTarget toTarget(Run<?, ?> run, FilePath workspace, EnvVars env, String region) {
            return ClusterTarget.select(null, region, true, null, null, null, env);
        }

        @Override
        String label() {
            return "in-cluster";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InCluster;
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @Extension(ordinal = 60)
        @Symbol("inCluster")
        public static final class DescriptorImpl extends Descriptor<ClusterSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.ClusterSpec_InCluster_DisplayName();
            }
        }
    }
}
