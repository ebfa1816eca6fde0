package io.jenkins.plugins.fluxcodecommit.kube;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;

/** Which cluster an operation works on, and how to authenticate to it. Plain data. */
public sealed interface ClusterTarget extends Serializable {
    /** For logs: names and URLs, never credentials. */
    String describe();

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
