package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The user's credentials of one kind in IAM, and its quota (2 access keys, 5 SSH keys, 2 HTTPS Git
 * credentials): which one a target's ID names, which can be removed safely to make room, and which an
 * interrupted run left behind, found by the IDs it recorded before its create, not by the clock.
 */
final class IamSlots {
    private final RotationContext ctx;

    IamSlots(RotationContext ctx) {
        this.ctx = ctx;
    }

    private CredentialKind kind() {
        return ctx.kind();
    }

    List<IamCredential> list() {
        return ctx.iam().list(ctx.user(), kind());
    }

    /** The IAM ID a target's held ID names: for an HTTPS Git credential, the one with that Git user name. */
    String resolve(String held, List<IamCredential> listed) {
        if (held == null || kind() != CredentialKind.HTTPS_GIT_CREDENTIAL) {
            return held;
        }
        return listed.stream()
                .filter(x -> held.equals(x.gitUserName()))
                .map(IamCredential::id)
                .findFirst()
                .orElse(held);
    }

    Optional<IamCredential> find(String id, List<IamCredential> listed) {
        return listed.stream().filter(x -> x.id().equals(id)).findFirst();
    }

    /** The IDs listed now, less the one about to be removed to make room: any other after the create is new. */
    String existing(List<IamCredential> listed, String room) {
        return listed.stream()
                .map(IamCredential::id)
                .filter(id -> kind() == CredentialKind.HTTPS_GIT_CREDENTIAL || !id.equals(room))
                .collect(Collectors.joining(","));
    }

    /** A new credential, in the slot made room in for an HTTPS Git credential (a new password, same ID). */
    NewCredential create(String room) {
        return kind() == CredentialKind.HTTPS_GIT_CREDENTIAL && room != null
                ? ctx.iam().reset(ctx.user(), kind(), room)
                : ctx.iam().create(ctx.user(), kind());
    }

    /**
     * What an interrupted run created and nothing holds: the pending credential, and any ID IAM lists
     * that it did not list before the create. State from an earlier release has no recorded IDs; then a
     * creation time after the run's start decides.
     */
    List<String> orphans(RotationState.Phase state, Collection<String> inUse, List<IamCredential> listed) {
        List<String> existing = state.existing();
        Instant since = state.time(RotationState.STARTED);
        String pending = state.get(RotationState.PENDING);
        List<String> out = new java.util.ArrayList<>();
        for (IamCredential c : listed) {
            boolean created = existing != null
                    ? !existing.contains(c.id())
                    : since != null && !c.created().isBefore(since.minusSeconds(5));
            boolean orphan = c.id().equals(pending) || (created && !c.id().equals(state.get(RotationState.PREVIOUS)));
            if (orphan && !inUse.contains(c.id())) {
                out.add(c.id());
            }
        }
        return out;
    }

    /** Rollback and orphans: an HTTPS Git credential's slot is kept, inactive, for reuse; others are deleted. */
    void discard(String id, String why) {
        if (kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            ctx.log().info("Deactivating " + id + ", " + why);
            ctx.iam().setActive(ctx.user(), kind(), id, false);
        } else {
            ctx.log().info("Deleting " + id + ", " + why);
            ctx.iam().delete(ctx.user(), kind(), id);
        }
    }

    /** Deletes the credential the last rotation left inactive, once its grace period is over. */
    boolean deleteRetired(List<IamCredential> listed, Collection<String> inUse, RotationState.Phase state) {
        String previous = state.get(RotationState.PREVIOUS);
        Instant rotated = state.time(RotationState.ROTATED);
        if (previous == null || rotated == null || ctx.request().deleteAfter() == null) {
            return false;
        }
        boolean due = rotated.plus(ctx.request().deleteAfter()).isBefore(ctx.now());
        Optional<IamCredential> retired = find(previous, listed);
        if (due && retired.isPresent() && !retired.get().active() && !inUse.contains(previous)) {
            ctx.iam().delete(ctx.user(), kind(), previous);
            ctx.log().info("Deleted " + previous + ", inactive since the last rotation");
            return true;
        }
        return false;
    }

    /**
     * Frees a slot when IAM's quota is reached, only with a credential no target of any cluster in the
     * run holds: an inactive one first, then an access key never used. Returns the slot freed (for an
     * HTTPS Git credential, the one to reset), or null when there is room.
     */
    String makeRoom(List<IamCredential> listed, Collection<String> inUse, boolean dryRun) {
        int limit = kind() == CredentialKind.SSH_KEY ? 5 : 2;
        if (listed.size() < limit) {
            return null;
        }
        List<IamCredential> others =
                listed.stream().filter(c -> !inUse.contains(c.id())).toList();
        Optional<IamCredential> free = others.stream().filter(c -> !c.active()).findFirst();
        if (free.isEmpty() && kind() == CredentialKind.ACCESS_KEY) {
            free = others.stream().filter(c -> c.lastUsed() == null).findFirst();
        }
        if (free.isEmpty()) {
            throw new InvalidInputException(
                    "User " + ctx.user() + " has " + listed.size() + " " + kind() + "s (the IAM limit); besides "
                            + String.join(", ", inUse) + ", which the cluster uses, "
                            + others.stream().map(IamCredential::id).toList()
                            + " are active and used elsewhere, so none can be removed safely.",
                    "Deactivate the one no one needs (aws iam update-"
                            + switch (kind()) {
                                case ACCESS_KEY -> "access-key";
                                case SSH_KEY -> "ssh-public-key";
                                case HTTPS_GIT_CREDENTIAL -> "service-specific-credential";
                            }
                            + " --status Inactive), then run again; if another cluster uses the same IAM user, rotate"
                            + " them together in one fleet.");
        }
        IamCredential slot = free.get();
        if (kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            // Alternate between IAM's two slots: the free one gets a new password, in place.
            ctx.log().info("Reusing the slot of " + slot.id() + " (" + (slot.active() ? "unused" : "inactive") + ")");
            return slot.id();
        }
        if (!dryRun) {
            ctx.iam().delete(ctx.user(), kind(), slot.id());
            ctx.log()
                    .info("Deleted " + slot.id() + " (" + (slot.active() ? "never used" : "inactive")
                            + ") to make room");
        }
        return slot.id();
    }

    /**
     * When the credential in use was made: IAM's creation date, or the time of the rotation that put
     * it in place when that is later (a reset HTTPS Git credential slot keeps its creation date).
     */
    Instant since(IamCredential inUse, RotationState.Phase state) {
        Instant rotated = state.time(RotationState.ROTATED);
        if (rotated == null || !inUse.id().equals(state.get(RotationState.CURRENT))) {
            return inUse.created();
        }
        return rotated.isAfter(inUse.created()) ? rotated : inUse.created();
    }
}
