package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult.Outcome;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationState.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run that finds a rotation unfinished (killed, cut short, or waiting out its grace period): when a
 * cluster holds the new credential, the rotation goes on from there; otherwise what the interrupted
 * run created goes, and nothing else is touched, before a rotation starts afresh.
 */
final class RotationResume {
    private final RotationProtocol protocol;
    private final RotationContext ctx;
    private final List<Phase> states = new ArrayList<>();

    RotationResume(RotationProtocol protocol) {
        this.protocol = protocol;
        this.ctx = protocol.ctx;
        for (ClusterPart part : protocol.parts) {
            states.add(part.state.read());
        }
    }

    boolean unfinished() {
        return states.stream().anyMatch(s -> !s.settled());
    }

    String phase() {
        return states.stream()
                .filter(s -> !s.settled())
                .findFirst()
                .map(Phase::name)
                .orElse("done");
    }

    /** The outcome when the rotation went on from its written credential; empty when it was cleared instead. */
    Optional<Outcome> resume(List<IamCredential> listed) {
        for (int i = 0; i < states.size(); i++) {
            Phase state = states.get(i);
            ClusterPart part = protocol.parts.get(i);
            // "written" is recorded in the same write as the primary's new data, and a rollback puts the
            // old data back with "created": the phase alone says the primary holds the new credential
            // (a Flux source's URL, patched next, may still name the old key ID).
            boolean written = state.name().equals("written") || state.name().equals("deactivated");
            if (written && state.get(RotationState.PENDING) != null) {
                return Optional.of(goOn(part, state, listed));
            }
        }
        clearInterrupted(listed);
        return Optional.empty();
    }

    private Outcome goOn(ClusterPart from, Phase state, List<IamCredential> listed) {
        String oldId = state.get(RotationState.PREVIOUS);
        String newId = state.get(RotationState.PENDING);
        protocol.oldId = oldId;
        protocol.newId = newId;
        ctx.log()
                .info("Resuming the rotation of " + from.name() + " at phase " + state.name() + " (" + oldId + " -> "
                        + newId + ")");
        boolean oldExists = oldId != null
                && !oldId.equals(newId)
                && protocol.slots.find(oldId, listed).isPresent();
        if (state.name().equals("deactivated")) {
            protocol.finish(oldExists, false);
            return Outcome.ROTATED;
        }
        NewCredential recovered = from.primary.recover(newId);
        Instant writtenAt =
                Optional.ofNullable(state.time(RotationState.WRITTEN)).orElse(ctx.now());
        // Every target of every cluster that does not hold it yet, as the interrupted run would have.
        for (ClusterPart part : protocol.parts) {
            for (TargetAdapter t : part.targets) {
                if (!newId.equals(protocol.slots.resolve(t.heldId(), listed))) {
                    part.write(t, recovered, t == part.primary ? protocol.writtenState(part, writtenAt) : Map.of());
                }
            }
        }
        Instant retireAfter = state.time(RotationState.RETIRE_AFTER);
        if (retireAfter == null) {
            TargetAdapter.Evidence evidence = protocol.confirm(recovered, writtenAt);
            protocol.handOver(recovered);
            return protocol.retire(oldExists, evidence, writtenAt);
        }
        protocol.handOver(recovered);
        return afterGrace(oldExists, writtenAt, retireAfter, listed);
    }

    /**
     * A rotation waiting out its grace period: the old credential is deactivated once it is over, unless
     * IAM reports the old access key used late in it (a consumer still on it: it stays active).
     */
    private Outcome afterGrace(boolean oldExists, Instant writtenAt, Instant retireAfter, List<IamCredential> listed) {
        String oldId = protocol.oldId;
        Instant late = writtenAt.plus(ctx.request().deactivateAfter().dividedBy(2));
        Optional<Instant> oldUsed = protocol.slots.find(oldId, listed).map(IamCredential::lastUsed);
        if (oldUsed.isPresent() && oldUsed.get().isAfter(late)) {
            throw new RemoteOperationException(
                    "IAM reports the old access key " + oldId + " used at " + oldUsed.get() + ", after "
                            + protocol.newId + " replaced it in every target: a consumer still uses it.",
                    "Find it (CloudTrail events by access key " + oldId + ") and restart or reconfigure it; " + oldId
                            + " stays active, and the next run retires it once it is no longer used.");
        }
        if (ctx.now().isBefore(retireAfter)) {
            protocol.message = oldId + " stays active until " + retireAfter + " (the grace period after writing "
                    + protocol.newId + ")";
            ctx.log().info("Not due: " + protocol.message);
            return Outcome.NOT_DUE;
        }
        protocol.finish(oldExists, true);
        return Outcome.ROTATED;
    }

    /** Interrupted before the new credential was confirmed in place: it goes; nothing else is touched. */
    private void clearInterrupted(List<IamCredential> listed) {
        Set<String> inUse = new LinkedHashSet<>();
        for (ClusterPart part : protocol.parts) {
            part.held().forEach(h -> inUse.add(protocol.slots.resolve(h, listed)));
        }
        Set<String> orphans = new LinkedHashSet<>();
        for (int i = 0; i < states.size(); i++) {
            Phase state = states.get(i);
            if (state.settled()) {
                continue;
            }
            String pending = state.get(RotationState.PENDING);
            if (state.name().equals("committing") && pending != null) {
                protocol.parts.get(i).targets.forEach(t -> t.revertInterrupted(pending));
            }
            orphans.addAll(protocol.slots.orphans(state, inUse, listed));
        }
        for (String id : orphans) {
            protocol.slots.discard(id, "created by an interrupted rotation and never used");
        }
        for (int i = 0; i < states.size(); i++) {
            if (!states.get(i).settled()) {
                protocol.parts.get(i).state.record(Map.of(RotationState.PHASE, "done"), RotationState.RUN_KEYS);
            }
        }
    }
}
