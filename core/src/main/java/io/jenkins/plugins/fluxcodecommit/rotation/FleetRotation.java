package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Rotates many clusters with bounded concurrency, each independent: one cluster's failure is
 * reported in its row and stops nothing else.
 */
public final class FleetRotation {
    private final List<RotationRequest> clusters;
    private final int concurrency;
    private final Map<String, String> environment;
    private final Clock clock;

    public FleetRotation(
            List<RotationRequest> clusters, int concurrency, Map<String, String> environment, Clock clock) {
        this.clusters = List.copyOf(clusters);
        this.concurrency = Math.max(1, concurrency);
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    /**
     * @param sinks the credential sink for each cluster's request
     */
    public List<RotationResult> call(ProgressListener listener, Function<RotationRequest, CredentialSink> sinks) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, clusters.size())));
        try {
            List<Future<RotationResult>> futures = new ArrayList<>();
            for (RotationRequest request : clusters) {
                ProgressListener prefixed = new ProgressListener() {
                    @Override
                    public void info(String message) {
                        listener.info("[" + request.name() + "] " + message);
                    }

                    @Override
                    public void warn(String message) {
                        listener.warn("[" + request.name() + "] " + message);
                    }
                };
                futures.add(pool.submit(() -> one(request, prefixed, sinks.apply(request))));
            }
            List<RotationResult> results = new ArrayList<>();
            for (Future<RotationResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private RotationResult one(RotationRequest request, ProgressListener log, CredentialSink sink) {
        Instant started = clock.instant();
        try {
            return new Rotation(request, environment, clock).call(log, sink);
        } catch (FluxCodeCommitException e) {
            log.warn(e.getMessage());
            return new RotationResult(
                    request.name(),
                    request.kind(),
                    null,
                    null,
                    RotationResult.Outcome.FAILED,
                    e.problem() + (e.fix() == null ? "" : " Fix: " + e.fix()),
                    Duration.between(started, clock.instant()),
                    0);
        }
    }

    /** The summary table: cluster, kind, old ID -> new ID, outcome, time. */
    public static String table(List<RotationResult> results) {
        StringBuilder out = new StringBuilder(
                String.format("%-24s %-10s %-47s %-9s %8s%n", "CLUSTER", "KIND", "OLD -> NEW", "OUTCOME", "TIME"));
        for (RotationResult r : results) {
            String change = r.outcome() == RotationResult.Outcome.FAILED
                    ? r.message()
                    : (r.oldId() == null ? "-" : r.oldId()) + " -> " + (r.newId() == null ? "-" : r.newId());
            out.append(String.format(
                    "%-24s %-10s %-47s %-9s %6dms%n",
                    r.name(), r.kind(), change, r.outcome(), r.took().toMillis()));
        }
        return out.toString();
    }
}
