package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
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

    /**
     * @param concurrency clusters rotated at once, 1 to {@link RotationLimits#MAX_CONCURRENCY}
     */
    public FleetRotation(
            List<RotationRequest> clusters, int concurrency, Map<String, String> environment, Clock clock) {
        this.clusters = List.copyOf(clusters);
        this.concurrency = RotationLimits.concurrency(concurrency, "The concurrency");
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    /**
     * @param sinks the credential sink for each cluster's request
     */
    public List<RotationResult> call(ProgressListener listener, Function<RotationRequest, CredentialSink> sinks) {
        validate();
        // Clusters that share an IAM user share its credentials: one rotation for each kind, with one new
        // credential written to every cluster before the old one retires; the kinds one after another.
        Map<String, Map<CredentialKind, List<Integer>>> byUser = new java.util.LinkedHashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            RotationRequest r = clusters.get(i);
            byUser.computeIfAbsent(String.valueOf(r.user()), k -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(r.kind(), k -> new ArrayList<>())
                    .add(i);
        }
        RotationResult[] results = new RotationResult[clusters.size()];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, byUser.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Map<CredentialKind, List<Integer>> kinds : byUser.values()) {
                futures.add(pool.submit(() -> {
                    for (List<Integer> group : kinds.values()) {
                        List<RotationRequest> requests =
                                group.stream().map(clusters::get).toList();
                        List<RotationResult> rows = together(requests, listener, sinks);
                        for (int j = 0; j < group.size(); j++) {
                            results[group.get(j)] = rows.get(j);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return List.of(results);
        } finally {
            pool.shutdown();
        }
    }

    /** Every cluster's request is checked before the first one starts: a fleet fails whole or starts whole. */
    private void validate() {
        for (RotationRequest request : clusters) {
            try {
                request.validate();
                // The cluster named must be the cluster used, or none: checked for every row first.
                io.jenkins.plugins.fluxcodecommit.kube.KubeConnection.check(request.cluster(), environment);
            } catch (InvalidInputException e) {
                if (clusters.size() == 1) {
                    throw e;
                }
                throw new InvalidInputException(
                        "Cluster '" + request.name() + "': " + e.problem() + " No cluster was rotated.", e.fix(), e);
            }
        }
    }

    private static ProgressListener prefixed(ProgressListener listener, String name) {
        return new ProgressListener() {
            @Override
            public void info(String message) {
                listener.info("[" + name + "] " + message);
            }

            @Override
            public void warn(String message) {
                listener.warn("[" + name + "] " + message);
            }
        };
    }

    /** One rotation for the clusters of one IAM user and kind: a failure is every one of their rows. */
    private List<RotationResult> together(
            List<RotationRequest> requests,
            ProgressListener listener,
            Function<RotationRequest, CredentialSink> sinks) {
        Instant started = clock.instant();
        try {
            return Rotation.shared(requests, environment, clock, java.util.function.UnaryOperator.identity())
                    .callAll(r -> prefixed(listener, r.name()), sinks);
        } catch (FluxCodeCommitException e) {
            // Not a warning in the progress: the failure is the result, for the front end to report.
            return failed(requests, e, started);
        } catch (RuntimeException e) {
            // A defect, not an answer: still these clusters' rows only. Its message may quote anything, so
            // only its type is named.
            return failed(
                    requests,
                    new RemoteOperationException(
                            "The rotation of " + names(requests) + " stopped on an unexpected error ("
                                    + e.getClass().getSimpleName() + ").",
                            "Run it again: a rotation resumes where it stopped. If it recurs, report it with the"
                                    + " progress log."),
                    started);
        }
    }

    private List<RotationResult> failed(List<RotationRequest> requests, FluxCodeCommitException e, Instant started) {
        Duration took = Duration.between(started, clock.instant());
        return requests.stream().map(r -> RotationResult.failed(r, e, took)).toList();
    }

    private static String names(List<RotationRequest> requests) {
        return String.join(", ", requests.stream().map(RotationRequest::name).toList());
    }

    /**
     * The summary table: cluster, kind, old ID -> new ID, outcome, time. A failed row names only the
     * class of its error; the front end reports each failure's problem and fix on its own.
     */
    public static String table(List<RotationResult> results) {
        StringBuilder out = new StringBuilder(
                String.format("%-24s %-10s %-47s %-9s %8s%n", "CLUSTER", "KIND", "OLD -> NEW", "OUTCOME", "TIME"));
        for (RotationResult r : results) {
            String change = r.outcome() == RotationResult.Outcome.FAILED && r.failure() != null
                    ? "(" + errorClass(r.failure()) + ")"
                    : (r.oldId() == null ? "-" : r.oldId()) + " -> " + (r.newId() == null ? "-" : r.newId());
            out.append(String.format(
                    "%-24s %-10s %-47s %-9s %6dms%n",
                    r.name(), r.kind(), change, r.outcome(), r.took().toMillis()));
        }
        return out.toString();
    }

    /** A failure's class in a few words, for a table cell. */
    public static String errorClass(FluxCodeCommitException failure) {
        return failure instanceof InvalidInputException
                ? "input error"
                : failure instanceof AccessDeniedException ? "access denied" : "remote error";
    }
}
