package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a rotation reads, writes and confirms one kind of target: which credential it holds, where
 * the new one goes in its secret, and what evidence says its consumer works with the new one.
 */
abstract sealed class TargetAdapter permits FluxSourceAdapter, ArgoRepositoryAdapter, NamedSecretAdapter {
    /** Whether the consumer was seen working with the new credential. */
    enum Evidence {
        CONFIRMED,
        NONE
    }

    /** What a target held before it was written, to put back on rollback. */
    record Snapshot(Map<String, String> data, String url) {}

    final ClusterObjects kube;
    final RotationContext ctx;

    TargetAdapter(ClusterObjects kube, RotationContext ctx) {
        this.kube = kube;
        this.ctx = ctx;
    }

    static TargetAdapter of(RotationTarget t, ClusterObjects kube, RotationContext ctx) {
        if (t instanceof RotationTarget.FluxSource flux) {
            return new FluxSourceAdapter(flux, kube, ctx);
        }
        if (t instanceof RotationTarget.ArgoRepository argo) {
            return new ArgoRepositoryAdapter(argo, kube, ctx);
        }
        return new NamedSecretAdapter((RotationTarget.NamedSecret) t, kube, ctx);
    }

    abstract RotationTarget target();

    String describe() {
        return target().describe();
    }

    Secret secret() {
        return kube.secret(target());
    }

    Map<String, String> data() {
        return ClusterObjects.data(secret());
    }

    /** Reads what the write will need and refuses, before any change, what it could not honour. */
    void check(boolean resuming) {
        secret();
    }

    /** The ID of the credential the target holds (for an HTTPS Git credential, its Git user name), or null. */
    abstract String heldId();

    /** Puts the credential into the secret's data (base64 values). */
    abstract void apply(Map<String, String> data, NewCredential c);

    /** The credential as this target holds it, for a run that resumes after the targets were written. */
    abstract NewCredential recover(String id);

    /** Evidence that the target's consumer works with the new credential written at {@code written}. */
    abstract Evidence confirm(NewCredential c, Instant written);

    /** Before any target is written: what must name the new credential first (Flux's gotk-sync.yaml). */
    void beforeWrite(NewCredential c) {}

    /** Whether {@link #beforeWrite} changes something outside the cluster (a Git commit). */
    boolean commits() {
        return false;
    }

    /** Undoes {@link #beforeWrite} on rollback, with the credential the snapshot holds. */
    void undoBeforeWrite(Snapshot old) {}

    /** After a run was killed between {@link #beforeWrite} and the write: puts the target's credential back. */
    void revertInterrupted(String pending) {}

    /** After the secret is written: whatever else names the credential (Flux's URL). */
    void afterWrite(NewCredential c) {}

    Snapshot snapshot() {
        Secret s = secret();
        return new Snapshot(new HashMap<>(s.getData() == null ? Map.of() : s.getData()), null);
    }

    /** After the secret's old data is back. */
    void afterRestore(Snapshot old) {}

    /** The repository this target reaches, to verify a new SSH key or Git credential on. */
    Optional<String> repositoryUrl() {
        return Optional.empty();
    }

    /** The known_hosts this target trusts, for SSH. */
    Optional<String> knownHosts() {
        return Optional.empty();
    }

    NewCredential sshCredential(String id, String pem) {
        var secret = io.jenkins.plugins.fluxcodecommit.secret.Secret.of(pem);
        ctx.redactor().add(secret);
        String pub = io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair.parse(secret, null)
                .publicKeyOpenSsh();
        return new NewCredential(CredentialKind.SSH_KEY, ctx.user(), id, secret, pub);
    }

    NewCredential gitCredential(String id, String username, String password) {
        var secret = io.jenkins.plugins.fluxcodecommit.secret.Secret.of(password);
        ctx.redactor().add(secret);
        return new NewCredential(CredentialKind.HTTPS_GIT_CREDENTIAL, ctx.user(), id, secret, null, username);
    }
}
