package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Flux's source: the GitRepository and its secret ({@code identity}, {@code identity.pub},
 * {@code known_hosts}; or {@code username}, {@code password}). For an SSH key the key ID is the URL's
 * user, so the URL changes too, in {@code gotk-sync.yaml} first and then in the cluster. Evidence:
 * source-controller reports Ready for a reconcile requested after the write.
 */
final class FluxSourceAdapter extends TargetAdapter {
    private final RotationTarget.FluxSource flux;
    private final SyncFile sync;

    FluxSourceAdapter(RotationTarget.FluxSource flux, ClusterObjects kube, RotationContext ctx) {
        super(kube, ctx);
        this.flux = flux;
        this.sync = new SyncFile(flux, kube, ctx);
    }

    @Override
    RotationTarget target() {
        return flux;
    }

    private boolean ssh() {
        return ctx.kind() == CredentialKind.SSH_KEY;
    }

    @Override
    void check(boolean resuming) {
        super.check(resuming);
        kube.gitRepository(flux);
        // An unfinished rotation's gotk-sync.yaml may name its new key: the resume handles that.
        if (ssh() && !resuming) {
            sync.check(auth(data()));
        }
    }

    @Override
    String heldId() {
        if (!ssh()) {
            return data().get("username");
        }
        return CodeCommitUrl.parse(kube.url(flux)).user();
    }

    @Override
    void apply(Map<String, String> data, NewCredential c) {
        if (ssh()) {
            ClusterObjects.put(data, "identity", c.secret().reveal());
            ClusterObjects.put(data, "identity.pub", c.publicKey() + "\n");
            data.remove("password");
        } else {
            ClusterObjects.put(data, "username", c.gitUserName());
            ClusterObjects.put(data, "password", c.secret().reveal());
        }
    }

    @Override
    boolean commits() {
        return ssh();
    }

    @Override
    void beforeWrite(NewCredential c) {
        if (ssh()) {
            sync.commit(c, knownHosts().orElse(null));
        }
    }

    @Override
    void undoBeforeWrite(Snapshot old) {
        Map<String, String> data = new java.util.HashMap<>();
        old.data().forEach((k, v) -> data.put(k, ClusterObjects.decode(v)));
        sync.revert(auth(data));
    }

    @Override
    void revertInterrupted(String pending) {
        if (ssh()) {
            sync.revertInterrupted(pending, auth(data()));
        }
    }

    /** The secret first, then the URL that names its key: Flux sees the pair as soon as the URL changes. */
    @Override
    void afterWrite(NewCredential c) {
        if (ssh()) {
            setUrl(CodeCommitUrl.parse(kube.url(flux)).withSshUser(c.id()).gitUrl());
        }
    }

    @Override
    Snapshot snapshot() {
        return new Snapshot(super.snapshot().data(), kube.url(flux));
    }

    @Override
    void afterRestore(Snapshot old) {
        if (old.url() != null) {
            setUrl(old.url());
        }
    }

    private void setUrl(String url) {
        String patch = "{\"spec\":{\"url\":\"" + url.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}";
        kube.mergePatch(
                FluxCluster.GIT_REPOSITORY,
                flux.namespace(),
                flux.gitRepository(),
                patch,
                "update the URL of " + flux.describe());
    }

    @Override
    NewCredential recover(String id) {
        Map<String, String> data = data();
        return ssh()
                ? sshCredential(id, data.get("identity"))
                : gitCredential(id, data.get("username"), data.get("password"));
    }

    @Override
    Evidence confirm(NewCredential c, Instant written) {
        var readiness = ctx.calls()
                .around(
                        "request a reconcile of " + flux.describe(),
                        true,
                        () -> new FluxCluster(kube.client(), kube.clusterName(), ctx.redactor(), ctx.log(), ctx.clock())
                                .reconcileSource(
                                        flux.namespace(),
                                        flux.gitRepository(),
                                        ctx.request().verifyTimeout(),
                                        ctx.request().pollInterval()));
        if (!readiness.ready()) {
            throw new RemoteOperationException(
                    flux.describe() + " is not Ready with the new credential: " + readiness.message(),
                    "The old credential is back in place; check the new key's IAM status and codecommit:GitPull.");
        }
        ctx.log().info(flux.describe() + " is Ready with the new credential");
        return Evidence.CONFIRMED;
    }

    @Override
    Optional<String> repositoryUrl() {
        return Optional.of(kube.url(flux));
    }

    @Override
    Optional<String> knownHosts() {
        return Optional.ofNullable(data().get("known_hosts")).filter(k -> !k.isBlank());
    }

    /** The SSH key a Flux source secret holds (decoded data): its identity, passphrase and known_hosts. */
    static GitAuth.SshKey auth(Map<String, String> data) {
        return new GitAuth.SshKey(
                io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.get("identity")),
                io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.get("password")),
                data.get("known_hosts"));
    }
}
