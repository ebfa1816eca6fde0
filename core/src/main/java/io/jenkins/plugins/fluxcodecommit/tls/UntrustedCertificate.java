package io.jenkins.plugins.fluxcodecommit.tls;

import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import java.security.cert.CertPathBuilderException;

/**
 * A TLS server whose certificate no trusted CA issued (a corporate TLS proxy, a private CA, or an
 * impersonation): how to recognise it in a client's failure, and the error that says what to do.
 */
public final class UntrustedCertificate {
    private UntrustedCertificate() {}

    /** Whether a failure, anywhere down its cause chain, is a certificate no trusted CA issued. */
    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertPathBuilderException
                    || t instanceof RedactedException r && r.originalClass().endsWith("CertPathBuilderException")) {
                return true;
            }
            String message = t.getMessage();
            // The JDK's words; SDKs that flatten a cause chain into one message keep them.
            if (message != null
                    && (message.contains("PKIX path building failed")
                            || message.contains("unable to find valid certification path"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param endpoint what was reached: a host and port, a service name
     * @param trustedBy where the CAs that were tried come from, e.g. {@link TrustedCertificates#describe()}
     * @param trust the operation's extra CAs, or {@code null} where they are not known
     * @param redactedCause the client's failure, already redacted
     */
    public static RemoteOperationException error(
            String endpoint, String trustedBy, TrustedCertificates trust, Throwable redactedCause) {
        String openssl = "openssl s_client -showcerts -connect HOST:PORT shows who issued it";
        String fix = trust != null && !trust.isEmpty()
                ? "Check that the CA file " + trust.file() + " holds the root CA that issued this certificate (with a"
                        + " TLS proxy: the proxy's CA; " + openssl + "). If you did not expect a proxy here, the"
                        + " connection may be intercepted: do not add a CA you do not know."
                : "If a corporate TLS proxy or a private CA signs it, give that CA's certificate as a PEM file with"
                        + " --ca-file FILE (Jenkins steps: caFile); " + openssl + ". If you did not expect a proxy"
                        + " here, the connection may be intercepted: do not add a CA you do not know.";
        return new RemoteOperationException(
                "The TLS certificate of " + endpoint + " is not trusted: no CA in " + trustedBy + " issued it.",
                fix,
                redactedCause);
    }
}
