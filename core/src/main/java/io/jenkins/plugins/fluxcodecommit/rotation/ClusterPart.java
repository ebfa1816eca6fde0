package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.Secret;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One cluster's share of a rotation: its targets (the first holds the state), its state under the
 * lease, and the caller's store. A shared IAM user's rotation has one per cluster holding the user.
 */
final class ClusterPart implements AutoCloseable {
    final RotationContext ctx;
    final List<TargetAdapter> targets;
    final TargetAdapter primary;
    final RotationState state;
    final CallerStore store;

    ClusterPart(RotationContext ctx, ClusterObjects kube, CredentialSink sink, Duration leaseTtl) {
        this.ctx = ctx;
        this.targets = ctx.request().targets().stream()
                .map(t -> TargetAdapter.of(t, kube, ctx))
                .toList();
        this.primary = targets.get(0);
        this.state = new RotationState(kube, primary.target(), ctx.clock(), leaseTtl, ctx.log());
        this.store = new CallerStore(sink);
    }

    String name() {
        return ctx.request().name();
    }

    /**
     * Reads what the run will need before its first write (the lease): every target exists and can
     * be written as asked, so a wrong name changes nothing, not even the lease annotation.
     */
    void preflight() {
        boolean resuming = !state.read().settled();
        for (TargetAdapter t : targets) {
            t.check(resuming);
        }
    }

    /** The IDs the targets hold, distinct; more than one only mid-rotation. */
    List<String> held() {
        return targets.stream()
                .map(TargetAdapter::heldId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }

    /** The one credential every target holds, or null for none; targets that disagree are refused. */
    String heldOne() {
        List<String> held = held();
        if (held.size() > 1) {
            throw new InvalidInputException(
                    "The targets of " + name() + " hold different credentials " + held + ".",
                    "Point every target at one credential before rotating, or rotate them separately.");
        }
        return held.isEmpty() ? null : held.get(0);
    }

    /** Writes the credential into a target; into the primary under the lease, with the state given. */
    void write(TargetAdapter t, NewCredential c, Map<String, String> annotations) {
        change(
                t,
                s -> {
                    Map<String, String> data = s.getData() == null ? new HashMap<>() : new HashMap<>(s.getData());
                    t.apply(data, c);
                    s.setData(data);
                    s.getMetadata().getAnnotations().putAll(annotations);
                    return s;
                },
                "write " + t.describe());
        t.afterWrite(c);
    }

    /** Puts a target's old data back (and the state given, in the same write for the primary). */
    void restore(TargetAdapter t, TargetAdapter.Snapshot old, Map<String, String> annotations, boolean written) {
        change(
                t,
                s -> {
                    s.setData(old.data());
                    s.getMetadata().getAnnotations().putAll(annotations);
                    return s;
                },
                "restore " + t.describe());
        if (written) {
            t.afterRestore(old);
        }
    }

    private void change(TargetAdapter t, java.util.function.UnaryOperator<Secret> change, String action) {
        if (t == primary) {
            state.update(change, action);
        } else {
            // Not the state's secret, but still only while this run holds the lease.
            state.checkHeld();
            t.kube.modify(t.target(), change, action);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
