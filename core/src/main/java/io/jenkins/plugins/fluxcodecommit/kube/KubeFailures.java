package io.jenkins.plugins.fluxcodecommit.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;

/** Turns Kubernetes API failures into user-facing errors that say what to fix. */
public final class KubeFailures {
    private KubeFailures() {}

    public static FluxCodeCommitException translate(
            KubernetesClientException e, String action, String cluster, Redactor redactor) {
        RedactedException cause = RedactedException.of(e, redactor);
        String status = e.getStatus() != null && e.getStatus().getMessage() != null
                ? redactor.redact(e.getStatus().getMessage())
                : redactor.redact(String.valueOf(e.getMessage()));
        int code = e.getCode();
        // fabric8 wraps the API server's answer: the status code may sit on a cause.
        for (Throwable t = e; code == 0 && t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() != 0) {
                code = k.getCode();
                if (k.getStatus() != null && k.getStatus().getMessage() != null) {
                    status = redactor.redact(k.getStatus().getMessage());
                }
            }
        }
        // No answer came over a connection whose certificate was refused, whatever code fabric8 reports.
        if (UntrustedCertificate.in(e)) {
            return KubeConnection.untrusted(cluster, cause);
        }
        if (code == 401) {
            return new AccessDeniedException(
                    cluster + " did not accept the credentials while trying to " + action + ": " + status,
                    "Check the kubeconfig token or, for EKS, that the IAM identity is mapped in the cluster"
                            + " (an access entry or aws-auth).",
                    cause);
        }
        if (code == 403) {
            return new AccessDeniedException(
                    cluster + " refused to " + action + ": " + status,
                    "Bootstrap installs CRDs and cluster roles: give the identity cluster-admin (for EKS, an access"
                            + " entry with AmazonEKSClusterAdminPolicy).",
                    cause);
        }
        if (code == 422 || code == 400) {
            return new InvalidInputException(
                    cluster + " rejected an object while trying to " + action + ": " + status,
                    "Check the manifests source and the options that shape the objects.",
                    cause);
        }
        return new RemoteOperationException(
                "Could not " + action + " on " + cluster + ": " + status,
                code == 0
                        ? "Check that this machine reaches the API server (network, proxy, endpoint access)."
                        : "Retry; if it persists, check the API server's health.",
                cause);
    }
}
