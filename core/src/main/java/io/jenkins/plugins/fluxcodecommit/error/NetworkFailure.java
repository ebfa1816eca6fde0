package io.jenkins.plugins.fluxcodecommit.error;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a connection failed, in words, found in an exception's cause chain: libraries report it in
 * messages that name their own classes ("Unable to execute HTTP request: Connect to ... failed")
 * or say only the host name (an unknown host).
 */
public final class NetworkFailure {
    private NetworkFailure() {}

    /**
     * @return "connection refused", "timed out", "unknown host NAME", ...; {@code null} when no
     *     network failure is in the chain
     */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String words = words(t);
            if (words != null) {
                return words;
            }
        }
        return null;
    }

    private static String words(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof UnknownHostException) {
            return "unknown host" + (t.getMessage() == null ? "" : " " + firstWord(t.getMessage()));
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof ConnectException) {
            return message.contains("timed out") ? "connection timed out" : "connection refused";
        }
        if (t instanceof InterruptedIOException || t.getClass().getSimpleName().contains("Timeout")) {
            // SocketTimeoutException, the HTTP client's connect timeout, the SDK's API call timeout
            return "timed out";
        }
        if (t instanceof SSLException) {
            return message.contains("pkix") || message.contains("certification path")
                    ? "the server's TLS certificate is not trusted here (its certificate authority is unknown)"
                    : "the TLS handshake failed";
        }
        if (t instanceof SocketException) {
            return message.contains("reset") ? "the connection was reset" : "the connection failed";
        }
        return null;
    }

    private static String firstWord(String message) {
        int space = message.indexOf(' ');
        String host = space < 0 ? message : message.substring(0, space);
        return host.endsWith(":") ? host.substring(0, host.length() - 1) : host;
    }
}
