package io.jenkins.plugins.fluxcodecommit.rotation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a rotation back when it fails before the new credential is confirmed: Git first (the old key
 * ID), then every target's old data, the primary's last with the state, then the new credential goes
 * and the old one, never touched, stays in use.
 */
final class RotationRollback {
    private final RotationProtocol protocol;
    private final RotationContext ctx;

    RotationRollback(RotationProtocol protocol) {
        this.protocol = protocol;
        this.ctx = protocol.ctx;
    }

    void run(
            Map<TargetAdapter, TargetAdapter.Snapshot> before,
            Set<TargetAdapter> written,
            NewCredential created,
            RuntimeException cause) {
        ctx.log().warn("Rolling back: " + cause.getMessage());
        // An abort interrupts this thread; the rollback's own calls must still go through.
        boolean interrupted = Thread.interrupted();
        try {
            for (TargetAdapter t : before.keySet()) {
                t.undoBeforeWrite(before.get(t));
            }
            for (ClusterPart part : protocol.parts) {
                for (TargetAdapter t : part.targets) {
                    if (t != part.primary && before.containsKey(t)) {
                        part.restore(t, before.get(t), Map.of(), written.contains(t));
                    }
                }
                if (before.containsKey(part.primary)) {
                    // The old data and phase "created" in one update: a rerun sees the targets on the old
                    // credential and removes the new one, never the other way round.
                    part.restore(
                            part.primary,
                            before.get(part.primary),
                            Map.of(RotationState.PHASE, "created", RotationState.PENDING, created.id()),
                            written.contains(part.primary));
                }
            }
            protocol.slots.discard(created.id(), "rolled back");
            protocol.recordAll(Map.of(RotationState.PHASE, "done"), RotationState.RUN_KEYS);
            ctx.log().info("Rolled back: the targets hold " + protocol.oldId + " again");
        } catch (RuntimeException again) {
            ctx.log()
                    .warn("The rollback did not finish (" + again.getMessage()
                            + "); run the rotation again to converge");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Puts the state annotations back as they were; a failure leaves "creating", which a rerun clears. */
    static void restoreState(RotationContext ctx, ClusterPart part, Map<String, String> prior) {
        Map<String, String> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        for (String key : List.of(
                RotationState.PHASE,
                RotationState.PENDING,
                RotationState.PREVIOUS,
                RotationState.STARTED,
                RotationState.EXISTING)) {
            if (prior.containsKey(key)) {
                set.put(key, prior.get(key));
            } else {
                remove.add(key);
            }
        }
        try {
            part.state.record(set, remove);
        } catch (RuntimeException e) {
            ctx.log().warn("Could not clear the rotation state (" + e.getMessage() + "); the next run clears it");
        }
    }
}
