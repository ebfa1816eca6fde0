package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rotation's eight steps, as docs/rotation.md numbers them, over the clusters that hold one IAM
 * user's credential (one; or, in a fleet, every cluster sharing the user): inspect, policy, make
 * room, create, verify, write, confirm, retire. A run that finds an unfinished one resumes it
 * ({@link RotationResume}) first.
 */
final class RotationProtocol {
    final List<ClusterPart> parts;
    final RotationContext ctx;
    final IamSlots slots;
    String oldId;
    String newId;
    String message = "";

    RotationProtocol(List<ClusterPart> parts) {
        this.parts = parts;
        this.ctx = parts.get(0).ctx;
        this.slots = new IamSlots(ctx);
    }

    RotationRequest request() {
        return ctx.request();
    }

    Outcome run() {
        RotationResume resume = new RotationResume(this);
        List<IamCredential> listed = slots.list();
        if (resume.unfinished()) {
            if (request().dryRun()) {
                message =
                        "a rotation is unfinished at phase " + resume.phase() + "; a run without --dry-run resumes it";
                ctx.log().info("Plan: " + message);
                return Outcome.PLANNED;
            }
            Optional<Outcome> resumed = resume.resume(listed);
            if (resumed.isPresent()) {
                return resumed.get();
            }
            listed = slots.list();
        }
        // 1. Inspect: every target of every cluster holds the same credential, which IAM lists.
        String current = current(listed);
        oldId = current;
        Optional<IamCredential> inUse = slots.find(current, listed);
        if (current != null && inUse.isEmpty()) {
            throw new InvalidInputException(
                    "The targets hold " + current + ", which IAM does not list for user " + ctx.user() + ".",
                    "Check the IAM user name; the credential in the cluster may belong to another user. If another"
                            + " cluster shares this user and was rotated on its own, rotate the clusters that share a"
                            + " user together, in one fleet.");
        }
        Set<String> held = current == null ? Set.of() : Set.of(current);
        if (!request().dryRun() && deleteRetired(listed, held)) {
            listed = slots.list();
        }
        // 2. Policy.
        if (!request().force()
                && request().maxAge() != null
                && inUse.isPresent()
                && slots.since(inUse.get(), parts.get(0).state.read())
                        .isAfter(ctx.now().minus(request().maxAge()))) {
            message = current + " is younger than " + request().maxAge().toDays() + " days";
            ctx.log().info("Not due: " + message);
            return Outcome.NOT_DUE;
        }
        // 3. Make room.
        String room = slots.makeRoom(listed, held, request().dryRun());
        if (request().dryRun()) {
            message = "would " + (room == null ? "" : "delete " + room + ", ") + "create a new " + ctx.kind() + " for "
                    + ctx.user() + ", write " + targetCount() + " target(s), deactivate " + current;
            ctx.log().info("Plan: " + message);
            return Outcome.PLANNED;
        }
        // 4. Create, the state recorded before and after.
        NewCredential created = create(listed, room, current);
        return deliver(created, current != null);
    }

    /** The credential every cluster's targets hold; clusters that share a user must hold one. */
    private String current(List<IamCredential> listed) {
        Set<String> held = new LinkedHashSet<>();
        for (ClusterPart part : parts) {
            String one = slots.resolve(part.heldOne(), listed);
            if (one != null) {
                held.add(one);
            }
        }
        if (held.size() > 1) {
            throw new InvalidInputException(
                    "The clusters " + parts.stream().map(ClusterPart::name).toList() + " share IAM user " + ctx.user()
                            + " but hold different credentials " + held + ".",
                    "Point them at one credential before rotating them together, or give each its own IAM user.");
        }
        return held.isEmpty() ? null : held.iterator().next();
    }

    private boolean deleteRetired(List<IamCredential> listed, Set<String> held) {
        for (ClusterPart part : parts) {
            if (slots.deleteRetired(listed, held, part.state.read())) {
                return true;
            }
        }
        return false;
    }

    private NewCredential create(List<IamCredential> listed, String room, String current) {
        List<Map<String, String>> prior = new ArrayList<>();
        for (ClusterPart part : parts) {
            prior.add(part.state.read().annotations());
        }
        recordAll(
                Map.of(
                        RotationState.EXISTING,
                        slots.existing(listed, room),
                        RotationState.PENDING,
                        ctx.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL && room != null ? room : "",
                        RotationState.PHASE,
                        "creating",
                        RotationState.PREVIOUS,
                        current == null ? "" : current,
                        RotationState.STARTED,
                        ctx.now().toString()),
                List.of());
        NewCredential created;
        try {
            created = slots.create(room);
        } catch (AccessDeniedException | InvalidInputException refused) {
            // IAM answered no, so nothing was created: leave no phase for a rerun to resume.
            for (int i = 0; i < parts.size(); i++) {
                RotationRollback.restoreState(ctx, parts.get(i), prior.get(i));
            }
            throw refused;
        }
        newId = created.id();
        ctx.log().info("Created " + ctx.kind() + " " + newId + " for " + ctx.user());
        recordAll(Map.of(RotationState.PHASE, "created", RotationState.PENDING, newId), List.of());
        return created;
    }

    /** Steps 5 to 8 for a new credential; any failure before it is confirmed rolls back. */
    private Outcome deliver(NewCredential created, boolean oldExists) {
        Map<TargetAdapter, TargetAdapter.Snapshot> before = new LinkedHashMap<>();
        Set<TargetAdapter> written = new LinkedHashSet<>();
        Instant writtenAt;
        TargetAdapter.Evidence evidence;
        try {
            // 5. Verify.
            new CredentialProbe(ctx, allTargets()).await(created);
            // 6. Write: the snapshots first, so a rollback can revert a pushed URL.
            for (TargetAdapter t : allTargets()) {
                before.put(t, t.snapshot());
            }
            for (ClusterPart part : parts) {
                if (part.targets.stream().anyMatch(TargetAdapter::commits)) {
                    // Recorded before the push: a run killed after it reverts gotk-sync.yaml first.
                    part.state.record(Map.of(RotationState.PHASE, "committing"), List.of());
                    part.targets.forEach(t -> t.beforeWrite(created));
                }
            }
            writtenAt = ctx.now();
            for (ClusterPart part : parts) {
                for (TargetAdapter t : part.targets) {
                    // Before the write: a failure part way (the secret written, the URL's answer lost) still
                    // puts back whatever of it went through.
                    written.add(t);
                    part.write(t, created, t == part.primary ? writtenState(part, writtenAt) : Map.of());
                }
            }
            ctx.log().info("Wrote " + newId + " to " + targetCount() + " target(s)");
            // 7. Confirm.
            evidence = confirm(created, writtenAt);
        } catch (RuntimeException e) {
            new RotationRollback(this).run(before, written, created, e);
            throw e;
        }
        handOver(created);
        return retire(oldExists, evidence, writtenAt);
    }

    Map<String, String> writtenState(ClusterPart part, Instant writtenAt) {
        return Map.of(
                RotationState.PHASE,
                "written",
                RotationState.PENDING,
                newId,
                RotationState.WRITTEN,
                writtenAt.toString(),
                RotationState.OWED,
                part.store.owed());
    }

    /** Evidence from every target's consumer; NONE when any target has none. A consumer that refuses throws. */
    TargetAdapter.Evidence confirm(NewCredential c, Instant writtenAt) {
        TargetAdapter.Evidence all = TargetAdapter.Evidence.CONFIRMED;
        for (TargetAdapter t : allTargets()) {
            if (t.confirm(c, writtenAt) == TargetAdapter.Evidence.NONE) {
                all = TargetAdapter.Evidence.NONE;
            }
        }
        return all;
    }

    /** The caller's stores, last: each was recorded as owed until it has the new credential. */
    void handOver(NewCredential c) {
        for (ClusterPart part : parts) {
            part.store.hand(c, part.state.read().get(RotationState.OWED), part.name());
            part.state.record(Map.of(), List.of(RotationState.OWED));
        }
    }

    /**
     * 8. Retire: with evidence (or no grace asked for), deactivate the old credential now and delete it
     * when due; without, it stays active until the grace period is over, for a later run.
     */
    Outcome retire(boolean oldExists, TargetAdapter.Evidence evidence, Instant writtenAt) {
        if (oldExists && evidence == TargetAdapter.Evidence.NONE && request().hasGrace()) {
            Instant after = writtenAt.plus(request().deactivateAfter());
            recordAll(Map.of(RotationState.RETIRE_AFTER, after.toString()), List.of());
            message = oldId + " -> " + newId + "; " + oldId + " stays active until " + after
                    + ": no evidence yet that every consumer uses " + newId;
            ctx.log().info("Rotated " + message + " (a later run deactivates it)");
            return Outcome.ROTATED;
        }
        finish(oldExists, true);
        return Outcome.ROTATED;
    }

    void finish(boolean oldExists, boolean deactivate) {
        if (deactivate) {
            if (oldExists) {
                ctx.iam().setActive(ctx.user(), ctx.kind(), oldId, false);
                ctx.log().info("Deactivated " + oldId);
            }
            recordAll(Map.of(RotationState.PHASE, "deactivated"), List.of());
        }
        if (oldExists && java.time.Duration.ZERO.equals(request().deleteAfter())) {
            ctx.iam().delete(ctx.user(), ctx.kind(), oldId);
            ctx.log().info("Deleted " + oldId);
        }
        recordAll(
                Map.of(
                        RotationState.PHASE,
                        "done",
                        RotationState.PREVIOUS,
                        oldId == null ? "" : oldId,
                        RotationState.ROTATED,
                        ctx.now().toString(),
                        RotationState.CURRENT,
                        newId),
                RotationState.RUN_KEYS);
        message = (oldId == null ? "(none)" : oldId) + " -> " + newId;
    }

    void recordAll(Map<String, String> set, List<String> remove) {
        for (ClusterPart part : parts) {
            part.state.record(set, remove);
        }
    }

    List<TargetAdapter> allTargets() {
        return parts.stream().flatMap(p -> p.targets.stream()).toList();
    }

    private int targetCount() {
        return allTargets().size();
    }
}
