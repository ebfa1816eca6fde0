package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A cluster's rotation state: annotations on the first target's secret (IDs and times, never a
 * secret), written only under this run's lease. The lease is an annotation with a run ID and an
 * expiry, renewed while the run is alive; every write of the secret checks that the lease is still
 * this run's, against the resourceVersion it read, so a run that lost its lease (paused past the
 * expiry, and another run took over) fails at its next write instead of overwriting the other's.
 */
final class RotationState implements AutoCloseable {
    static final String PREFIX = "rotation.flux-codecommit.io/";
    static final String PHASE = PREFIX + "phase";
    static final String PENDING = PREFIX + "pending";
    static final String PREVIOUS = PREFIX + "previous";
    static final String STARTED = PREFIX + "started";
    static final String ROTATED = PREFIX + "rotated";
    /** The credential the last finished rotation put in place, which {@link #ROTATED} dates. */
    static final String CURRENT = PREFIX + "current";
    /** The IDs IAM listed for the user just before this run created its credential: any other is the run's. */
    static final String EXISTING = PREFIX + "existing";
    /** The caller's store (a Jenkins credential, a file) that does not hold the new credential yet. */
    static final String OWED = PREFIX + "owed";
    /** Without evidence that every consumer uses the new credential, the old one stays active until then. */
    static final String RETIRE_AFTER = PREFIX + "retire-after";
    /** When the targets were written: evidence of use counts from then. */
    static final String WRITTEN = PREFIX + "written";

    static final String LOCK = PREFIX + "lock";
    /** What a run in progress records; cleared when it ends. */
    static final List<String> RUN_KEYS = List.of(PENDING, STARTED, EXISTING, OWED, RETIRE_AFTER, WRITTEN);

    /** The state as read, typed. */
    record Phase(Map<String, String> annotations) {
        String name() {
            return annotations.getOrDefault(PHASE, "done");
        }

        boolean settled() {
            return name().equals("done");
        }

        String get(String key) {
            String v = annotations.get(key);
            return v == null || v.isEmpty() ? null : v;
        }

        Instant time(String key) {
            String v = get(key);
            return v == null ? null : Instant.parse(v);
        }

        /** The recorded IAM IDs, or {@code null} when state written by an earlier release lacks them. */
        List<String> existing() {
            return annotations.containsKey(EXISTING)
                    ? List.of(annotations.get(EXISTING).split(","))
                    : null;
        }
    }

    private final ClusterObjects kube;
    private final RotationTarget primary;
    private final Clock clock;
    private final Duration ttl;
    private final ProgressListener log;
    private final String runId = UUID.randomUUID().toString();
    private ScheduledExecutorService renewal;
    private volatile String lease;
    private volatile boolean lost;

    RotationState(ClusterObjects kube, RotationTarget primary, Clock clock, Duration ttl, ProgressListener log) {
        this.kube = kube;
        this.primary = primary;
        this.clock = clock;
        this.ttl = ttl;
        this.log = log;
    }

    Phase read() {
        return new Phase(Map.copyOf(kube.secret(primary).getMetadata().getAnnotations()));
    }

    /** Takes the lease, unless a run whose lease has not expired holds it; then renews it until closed. */
    synchronized void acquire(String name) {
        Secret s = kube.secret(primary);
        String held = s.getMetadata().getAnnotations().get(LOCK);
        if (held != null && !expired(held)) {
            throw new RemoteOperationException(
                    "Another rotation of " + name + " is running (lease " + held + " on " + primary.describe() + ").",
                    "Wait for it to finish; a run that died stops renewing its lease, which lapses at the time shown"
                            + " (at most " + ttl.toSeconds() + "s after its last renewal).");
        }
        if (held != null) {
            log.info("Taking over the lapsed lease of a rotation that is no longer running (" + held + ")");
        }
        String mine = value();
        s.getMetadata().getAnnotations().put(LOCK, mine);
        // Against the resourceVersion just read: a concurrent taker makes this fail with a conflict.
        try {
            kube.call(
                    () -> kube.client()
                            .secrets()
                            .inNamespace(primary.namespace())
                            .resource(s)
                            .update(),
                    "take the rotation lease on " + primary.describe());
        } catch (RuntimeException e) {
            // The answer may be lost after the write: then the lease is this run's, to release on close.
            if (mine.equals(kube.secret(primary).getMetadata().getAnnotations().get(LOCK))) {
                lease = mine;
            }
            throw e;
        }
        lease = mine;
        renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rotation-lease-" + primary.namespace());
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, ttl.toMillis() / 3);
        renewal.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private String value() {
        return runId + " " + clock.instant().plus(ttl);
    }

    private boolean expired(String held) {
        String[] parts = held.split(" ");
        try {
            return parts.length < 2 || Instant.parse(parts[1]).isBefore(clock.instant());
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    private synchronized void renew() {
        if (lost || lease == null) {
            return;
        }
        try {
            update(s -> s, "renew the rotation lease on " + primary.describe());
        } catch (RuntimeException e) {
            // The next write finds out whether the lease is still this run's.
            log.warn("Could not renew the rotation lease (" + e.getMessage() + ")");
        }
    }

    /** Fails unless this run still holds the lease: before a write to a secret other than the state's. */
    synchronized void checkHeld() {
        String held = kube.secret(primary).getMetadata().getAnnotations().get(LOCK);
        if (!mine(held)) {
            throw lost(held);
        }
    }

    private boolean mine(String held) {
        return !lost && lease != null && held != null && held.startsWith(runId + " ");
    }

    private RemoteOperationException lost(String held) {
        lost = true;
        return new RemoteOperationException(
                "This run lost the rotation lease on " + primary.describe() + " (now " + held + "); it stopped"
                        + " before changing anything more.",
                "Another run took over; let it finish, or run the rotation again, which resumes.");
    }

    /** Sets and removes state annotations, under the lease. */
    void record(Map<String, String> set, Collection<String> remove) {
        update(
                s -> {
                    s.getMetadata().getAnnotations().putAll(set);
                    remove.forEach(s.getMetadata().getAnnotations()::remove);
                    return s;
                },
                "record the rotation state on " + primary.describe());
    }

    /**
     * Changes the primary secret (its data, its state) and renews the lease in the same write, which
     * fails when another run holds the lease. A conflict with a writer that is not a rotation (the
     * resourceVersion moved, the lease is still ours) is retried on a fresh read.
     */
    synchronized void update(UnaryOperator<Secret> change, String action) {
        for (int attempt = 1; ; attempt++) {
            Secret s = kube.secret(primary);
            String held = s.getMetadata().getAnnotations().get(LOCK);
            if (!mine(held)) {
                throw lost(held);
            }
            Secret changed = change.apply(s);
            String renewed = value();
            changed.getMetadata().getAnnotations().put(LOCK, renewed);
            try {
                kube.write(
                        () -> kube.client()
                                .secrets()
                                .inNamespace(primary.namespace())
                                .resource(changed)
                                .update(),
                        action);
                lease = renewed;
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 3) {
                    throw kube.translate(e, action);
                }
            }
        }
    }

    /** Stops renewing and removes the lease if it is still this run's; a failure only lets it lapse. */
    @Override
    public synchronized void close() {
        if (renewal != null) {
            renewal.shutdownNow();
        }
        if (lease == null || lost) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            Secret s = kube.secret(primary);
            if (mine(s.getMetadata().getAnnotations().get(LOCK))) {
                s.getMetadata().getAnnotations().remove(LOCK);
                kube.call(
                        () -> kube.client()
                                .secrets()
                                .inNamespace(primary.namespace())
                                .resource(s)
                                .update(),
                        "release the rotation lease on " + primary.describe());
            }
        } catch (RuntimeException e) {
            log.warn("Could not release the rotation lease (" + e.getMessage() + "); it lapses by itself");
        } finally {
            lease = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
