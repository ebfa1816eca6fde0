package io.jenkins.plugins.fluxcodecommit.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;

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
        if (code == 0) {
            NoAnswer why = NoAnswer.of(e);
            if (why != NoAnswer.OTHER) {
                return new RemoteOperationException(
                        "Could not " + action + " on " + cluster + ": " + why.words(null) + ".", why.fix(), cause);
            }
        }
        return new RemoteOperationException(
                "Could not " + action + " on " + cluster + ": " + status,
                code == 0
                        ? "Check that this machine reaches the API server (network, proxy, endpoint access)."
                        : "Retry; if it persists, check the API server's health.",
                cause);
    }

    /**
     * The failure of a request that got no answer from the API server at {@code server}: refused,
     * timed out, unknown host or untrusted certificate, in words.
     *
     * @param connectTimeout and {@code requestTimeout}: for "timed out after N s"
     */
    static RemoteOperationException unreachable(
            Throwable failure,
            String server,
            String cluster,
            Duration connectTimeout,
            Duration requestTimeout,
            Redactor redactor) {
        if (UntrustedCertificate.in(failure)) {
            return KubeConnection.untrusted(cluster + " (" + server + ")", RedactedException.of(failure, redactor));
        }
        NoAnswer why = NoAnswer.of(failure);
        String words = why == NoAnswer.OTHER
                ? "the request failed: " + redactor.redact(innermost(failure))
                : why.words(why == NoAnswer.CONNECT_TIMEOUT ? connectTimeout : requestTimeout);
        String host = URI.create(server).getHost();
        return new RemoteOperationException(
                "Cannot reach the Kubernetes API server " + server + " (" + cluster + "): "
                        + (why == NoAnswer.UNKNOWN_HOST ? "the host name " + host + " is unknown" : words) + ".",
                why.fix(),
                RedactedException.of(failure, redactor));
    }

    /** Why a request got no answer, as far as the transport tells. */
    enum NoAnswer {
        REFUSED,
        CONNECT_TIMEOUT,
        REQUEST_TIMEOUT,
        UNKNOWN_HOST,
        HOST_MISMATCH,
        TLS,
        OTHER;

        static NoAnswer of(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                    return UNKNOWN_HOST;
                }
                if (t instanceof HttpConnectTimeoutException) {
                    return CONNECT_TIMEOUT;
                }
                if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                    return REQUEST_TIMEOUT;
                }
                // An untrusted CA is UntrustedCertificate's to tell, before this is asked.
                if (t instanceof CertificateException
                        && String.valueOf(t.getMessage()).contains("No subject alternative")) {
                    return HOST_MISMATCH;
                }
            }
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SSLException) {
                    return TLS;
                }
                if (t instanceof ConnectException && refused(t)) {
                    return REFUSED;
                }
            }
            return OTHER;
        }

        private static boolean refused(Throwable connect) {
            // The JDK's client reports a refused connection without words of its own (its cause is the
            // closed channel); other failures to connect say what they are ("No route to host").
            for (Throwable t = connect; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getMessage() != null) {
                    return t.getMessage().contains("refused");
                }
            }
            return true;
        }

        String words(Duration timeout) {
            String after = timeout == null ? "" : " after " + seconds(timeout);
            return switch (this) {
                case REFUSED -> "the connection was refused (nothing listens on that address and port)";
                case CONNECT_TIMEOUT -> "connecting timed out" + after;
                case REQUEST_TIMEOUT -> "it did not answer; the request timed out" + after;
                case UNKNOWN_HOST -> "the server's host name is unknown";
                case HOST_MISMATCH -> "its TLS certificate does not name that host";
                case TLS -> "the TLS handshake failed";
                case OTHER -> "the request failed";
            };
        }

        String fix() {
            return switch (this) {
                case HOST_MISMATCH ->
                    "Use the server name its certificate names (kubectl config view shows the"
                            + " server), or set tls-server-name in the kubeconfig's cluster.";
                case UNKNOWN_HOST ->
                    "Check the server URL (kubectl config view) and this machine's DNS; a private"
                            + " endpoint resolves only inside its network.";
                case TLS -> "Check that the URL is the API server's HTTPS address (kubectl cluster-info).";
                default ->
                    "Check the server URL (kubectl cluster-info), that the cluster is running, and that this"
                            + " machine reaches it (network, proxy, VPN, endpoint access).";
            };
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String innermost(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        // The transport's own words, without the Java type names some causes prefix them with.
        return t.getMessage() == null
                ? "no detail"
                : t.getMessage().replaceAll("\\b(?:[a-z_]\\w*\\.)+[A-Z]\\w*(?:Exception|Error)\\b:?\\s*", "");
    }
}
