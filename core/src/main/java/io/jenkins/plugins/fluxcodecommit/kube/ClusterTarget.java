package io.jenkins.plugins.fluxcodecommit.kube;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

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
        List<String> named = new ArrayList<>();
        if (!blank(eksCluster)) {
            named.add("the EKS cluster '" + eksCluster.strip() + "'");
        }
        if (inCluster) {
            named.add("the in-cluster service account");
        }
        if (!blank(kubeconfigPath)) {
            named.add("the kubeconfig " + kubeconfigPath.strip());
        } else if (kubeconfigContent != null) {
            named.add("a kubeconfig given as content");
        }
        if (named.size() > 1) {
            throw new InvalidInputException(
                    "More than one cluster was named: " + String.join(" and ", named) + ".",
                    "Name the cluster one way only.");
        }
        String ctx = blank(context) ? null : context.strip();
        if (ctx != null && (!blank(eksCluster) || inCluster)) {
            // A context selects within a kubeconfig; ignoring it would silently pick another cluster.
            throw new InvalidInputException(
                    "The context '" + ctx + "' was given with " + named.get(0) + ", which has no contexts.",
                    "Give a context only with a kubeconfig (or with the default one, alone).");
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
        if (kubeconfigContent != null) {
            return new Kubeconfig(List.of(), kubeconfigContent, ctx);
        }
        if (!blank(kubeconfigPath)) {
            return new Kubeconfig(kubeconfigPath.strip(), null, ctx);
        }
        return ctx == null ? null : defaultKubeconfig(environment, ctx);
    }

    /**
     * The kubeconfig kubectl reads in this environment, with an optional context: the files
     * {@code KUBECONFIG} lists (merged as kubectl merges them), else {@code ~/.kube/config}. An
     * empty {@code KUBECONFIG} counts as unset, as for kubectl.
     */
    static Kubeconfig defaultKubeconfig(java.util.Map<String, String> environment, String context) {
        String list = environment.get("KUBECONFIG");
        List<String> files = new ArrayList<>();
        if (list == null || list.isEmpty()) {
            files.add(environment.getOrDefault("HOME", "") + "/.kube/config");
        } else {
            for (String file : list.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
                if (!file.isBlank() && !files.contains(file.strip())) {
                    files.add(file.strip());
                }
            }
        }
        return new Kubeconfig(files, null, blank(context) ? null : context.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * A kubeconfig given as files or as content, with an optional context (else its current one).
     * Several files are merged as kubectl merges a {@code KUBECONFIG} list; one file is what
     * {@code --kubeconfig} names. Exec-based user entries (such as {@code aws eks get-token}) need
     * their binary on the machine; prefer {@link Eks} for EKS.
     *
     * @param files the kubeconfig files, in order (empty with content)
     */
    record Kubeconfig(List<String> files, Secret content, String context) implements ClusterTarget {
        public Kubeconfig {
            files = files == null ? List.of() : List.copyOf(files);
        }

        /** One kubeconfig file, or ({@code path} null) the content. */
        public Kubeconfig(String path, Secret content, String context) {
            this(path == null ? List.of() : List.of(path), content, context);
        }

        /** A kubeconfig given as content, such as a Jenkins credential's. */
        public static Kubeconfig inline(Secret content, String context) {
            return new Kubeconfig(List.of(), content, context);
        }

        /** The file, or the files joined as in {@code KUBECONFIG}; {@code null} for content. */
        public String path() {
            return content != null || files.isEmpty() ? null : String.join(File.pathSeparator, files);
        }

        @Override
        public String describe() {
            return "kubeconfig " + (content != null ? "(given inline)" : path())
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
