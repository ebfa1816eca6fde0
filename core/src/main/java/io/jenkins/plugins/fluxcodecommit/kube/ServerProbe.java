package io.jenkins.plugins.fluxcodecommit.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first request to a cluster, made in one place: {@code GET /version}, which tells whether the
 * API server answers at all. A server that does not is named with the reason (refused, timed out,
 * unknown host, untrusted certificate) rather than in the words of whichever operation came first.
 */
final class ServerProbe {
    private final KubernetesClient client;
    private final String cluster;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Redactor redactor;

    ServerProbe(
            KubernetesClient client,
            String cluster,
            Duration connectTimeout,
            Duration requestTimeout,
            Redactor redactor) {
        this.client = client;
        this.cluster = cluster;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.redactor = redactor;
    }

    /** Returns when the server answered, whatever the status: a refusal is said by the request it refuses. */
    void run() {
        String base = client.getMasterUrl().toString();
        String server = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(URI.create(server + "/version"))
                .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        // fabric8 retries a failed connection a few times with backoff: bound the whole.
        long bound = (connectTimeout.toMillis() + requestTimeout.toMillis()) * 5 + 5_000;
        try {
            http.sendAsync(request, String.class).get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), server);
        } catch (TimeoutException e) {
            throw failure(new HttpTimeoutException("request timed out"), server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteOperationException(
                    "Interrupted while reaching the API server " + server + ".", "Run the operation again.");
        } catch (RuntimeException e) {
            throw failure(e, server);
        }
    }

    private RuntimeException failure(Throwable failure, String server) {
        // An engine error raised while authenticating (an EKS token that could not be made) is already worded.
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FluxCodeCommitException known) {
                return known;
            }
        }
        return KubeFailures.unreachable(failure, server, cluster, connectTimeout, requestTimeout, redactor);
    }
}
