package io.jenkins.plugins.fluxcodecommit.kube;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;

/** Which cluster an operation works on, and how to authenticate to it. Plain data. */
public sealed interface ClusterTarget extends Serializable {
    /** For logs: names and URLs, never credentials. */
    String describe();

    /**
     * The cluster a user names with the CLI's and the Jenkins steps' options, in this order: an EKS
     * cluster by name; the in-cluster service account; a kubeconfig given as content or as a path,
     * with an optional context (a context alone means the default kubeconfig file). {@code null}
     * when nothing names a cluster: export mode for bootstrap.
     *
     * @param region the EKS cluster's region, needed with {@code eksCluster}
     * @param environment where the default kubeconfig is looked up ({@code KUBECONFIG}, {@code HOME})
     */
    static ClusterTarget select(
            String eksCluster,
            String region,
            boolean inCluster,
            String kubeconfigPath,
            Secret kubeconfigContent,
            String context,
            java.util.Map<String, String> environment) {
        int named = (blank(eksCluster) ? 0 : 1)
                + (inCluster ? 1 : 0)
                + (blank(kubeconfigPath) && kubeconfigContent == null ? 0 : 1);
        if (named > 1) {
            throw new InvalidInputException(
                    "More than one cluster was named (EKS cluster, in-cluster, kubeconfig).",
                    "Name the cluster one way only.");
        }
        if (!blank(eksCluster)) {
            if (blank(region)) {
                throw new InvalidInputException(
                        "EKS cluster '" + eksCluster + "' was given without a region.",
                        "Give the cluster's region (eksRegion, --eks-region or region).");
            }
            return new Eks(eksCluster.strip(), region.strip(), null);
        }
        if (inCluster) {
            return new InCluster();
        }
        String ctx = blank(context) ? null : context.strip();
        if (kubeconfigContent != null) {
            return new Kubeconfig(null, kubeconfigContent, ctx);
        }
        if (!blank(kubeconfigPath) || ctx != null) {
            return blank(kubeconfigPath)
                    ? defaultKubeconfig(environment, ctx)
                    : new Kubeconfig(kubeconfigPath.strip(), null, ctx);
        }
        return null;
    }

    /**
     * The kubeconfig file kubectl reads in this environment ({@code KUBECONFIG}, else
     * {@code ~/.kube/config}), with an optional context.
     */
    static Kubeconfig defaultKubeconfig(java.util.Map<String, String> environment, String context) {
        String file = environment.getOrDefault("KUBECONFIG", environment.getOrDefault("HOME", "") + "/.kube/config");
        return new Kubeconfig(file, null, blank(context) ? null : context.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * A kubeconfig file or its content, with an optional context. Exec-based user entries (such as
     * {@code aws eks get-token}) need their binary on the machine; prefer {@link Eks} for EKS.
     */
    record Kubeconfig(String path, Secret content, String context) implements ClusterTarget {
        @Override
        public String describe() {
            return "kubeconfig " + (path != null ? path : "(given inline)")
                    + (context == null ? "" : " context " + context);
        }
    }

    /** The service account of the pod the engine runs in (a Jenkins agent pod). */
    record InCluster() implements ClusterTarget {
        @Override
        public String describe() {
            return "the in-cluster service account";
        }
    }

    /**
     * An EKS cluster by name: endpoint and CA from DescribeCluster, authentication with an IAM
     * token (a presigned STS GetCallerIdentity), as {@code aws eks get-token} makes.
     *
     * @param identity {@code null} to use the operation's AWS identity
     */
    record Eks(String clusterName, String region, AwsIdentity identity) implements ClusterTarget {
        @Override
        public String describe() {
            return "EKS cluster " + clusterName + " in " + region;
        }
    }

    /** An API server URL with a bearer token and its CA certificate (PEM). */
    record ApiServer(String url, Secret token, String certificateAuthorityPem) implements ClusterTarget {
        @Override
        public String describe() {
            return "API server " + url;
        }
    }
}
