package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NonFastForwardException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.Directories;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code gotk-sync.yaml} that Flux's Kustomization {@code NS/NS} applies: the GitRepository URL
 * there names the SSH key ID, so an SSH rotation commits the new one, or Flux puts the old URL back.
 */
final class SyncFile {
    private final RotationTarget.FluxSource flux;
    private final ClusterObjects kube;
    private final RotationContext ctx;
    /** The URL this run committed in place of the old one, to revert on rollback. */
    private String committedFrom;

    private String committedTo;
    /** The commit the last edit pushed, if it changed anything. */
    private String pushed;

    SyncFile(RotationTarget.FluxSource flux, ClusterObjects kube, RotationContext ctx) {
        this.flux = flux;
        this.kube = kube;
        this.ctx = ctx;
    }

    /** The file's path in the repository, from the Kustomization's path; empty without the Kustomization. */
    Optional<String> path() {
        Optional<GenericKubernetesResource> kustomization =
                kube.get(FluxCluster.KUSTOMIZATION, flux.namespace(), flux.namespace());
        return kustomization.map(k -> {
            String path = String.valueOf(ClusterObjects.spec(k).getOrDefault("path", "./"));
            path = path.replaceAll("^\\./?", "").replaceAll("/+$", "");
            return (path.isEmpty() ? "" : path + "/") + flux.namespace() + "/gotk-sync.yaml";
        });
    }

    /** Refuses, before any change, a source whose URL cannot be committed where Flux reads it. */
    void check(GitAuth.SshKey current) {
        String url = kube.url(flux);
        String fix = "Rotate a Flux source installed by bootstrap (its Kustomization " + flux.namespace() + "/"
                + flux.namespace() + " applies gotk-sync.yaml, which names the URL unquoted), or rerun"
                + " fluxCodeCommitBootstrap first; a URL only in the cluster would be reverted by Flux.";
        Optional<String> file = path();
        if (file.isEmpty()) {
            throw new InvalidInputException(
                    "No Kustomization " + flux.namespace() + "/" + flux.namespace() + " manages " + flux.describe()
                            + ", so the new SSH key ID cannot be committed where Flux reads the URL.",
                    fix);
        }
        if (!edit(CodeCommitUrl.parse(url), current, file.get(), url, url, null)) {
            throw new InvalidInputException(
                    file.get() + " on branch " + branch() + " does not name " + url + ", so the new SSH key ID"
                            + " cannot be committed where Flux reads the URL.",
                    fix);
        }
    }

    /**
     * Where commits go, and as whom: the rotating IAM identity over HTTPS, so that the cluster's own Git
     * user needs no more than codecommit:GitPull; over SSH with {@code key} only where the repository's
     * HTTPS URL is neither given nor derivable (a Git server that is not CodeCommit's).
     */
    private record Access(CodeCommitUrl url, GitAuth auth) {}

    private Access access(String sshUrl, GitAuth.SshKey key) {
        Optional<CodeCommitUrl> https = flux.commitUrl() != null
                ? Optional.of(CodeCommitUrl.parse(flux.commitUrl()))
                : CodeCommitUrl.parse(sshUrl).httpsForIam();
        if (https.isEmpty()) {
            return new Access(CodeCommitUrl.parse(sshUrl), key);
        }
        AwsIdentity identity = ctx.request().identity() != null ? ctx.request().identity() : DefaultChain.create();
        return new Access(https.get(), new GitAuth.Iam(identity, ctx.region()));
    }

    /**
     * Commits the new key ID (with the rotating identity, see {@link #access}), then pulls with the new
     * key under its key ID and checks it sees that commit: what Flux will fetch, it can.
     */
    void commit(NewCredential created, String knownHosts) {
        String oldUrl = kube.url(flux);
        String newUrl = CodeCommitUrl.parse(oldUrl).withSshUser(created.id()).gitUrl();
        String file = path().orElseThrow(() -> new RemoteOperationException(
                "The Kustomization that manages " + flux.describe() + " is gone.", "Run the rotation again."));
        var newKey = new GitAuth.SshKey(created.secret(), null, knownHosts);
        Access access = access(newUrl, newKey);
        String message = "Rotate the CodeCommit SSH key of " + flux.namespace() + "/" + flux.gitRepository() + " to "
                + created.id();
        // Recorded before the push: when its answer is lost, the rollback still reverts it.
        committedFrom = oldUrl;
        committedTo = newUrl;
        if (!edit(access.url(), access.auth(), file, oldUrl, newUrl, message)) {
            committedTo = null;
            // Checked before the first change; changed since (another commit): stop, and roll back.
            throw new RemoteOperationException(
                    file + " no longer names " + oldUrl + "; it changed during the rotation.",
                    "Run the rotation again.");
        }
        ctx.log()
                .info("Committed the new key ID to " + file
                        + (access.auth() instanceof GitAuth.Iam iam
                                ? " with the rotating identity ("
                                        + iam.identity().describe() + ") over " + access.url()
                                : " over SSH with the new key"));
        if (access.auth() instanceof GitAuth.Iam && pushed != null) {
            pull(newUrl, newKey);
        }
    }

    /** The new key, under its key ID, reads the branch at the commit just pushed. */
    private void pull(String newUrl, GitAuth.SshKey newKey) {
        try (GitAccess git = GitAccess.builder(CodeCommitUrl.parse(newUrl), newKey)
                .redactor(ctx.redactor())
                .aws(ctx.aws())
                .environment(ctx.environment())
                .open()) {
            String head = git.lsRemote().branches().get(branch());
            if (!pushed.equals(head)) {
                throw new RemoteOperationException(
                        "With the new key, branch " + branch() + " is at " + head + ", not at the commit " + pushed
                                + " that names it.",
                        "Run the rotation again; if it recurs, check that the SSH and HTTPS URLs name one repository.");
            }
            ctx.log().info("Pulled " + branch() + " at " + pushed + " with the new key");
        }
    }

    /** Puts the old key ID back where this run committed the new one. */
    void revert(GitAuth.SshKey old) {
        if (committedTo == null) {
            return;
        }
        String file = path().orElse(null);
        if (file == null) {
            return;
        }
        Access access = access(committedFrom, old);
        edit(
                access.url(),
                access.auth(),
                file,
                committedTo,
                committedFrom,
                "Revert the CodeCommit SSH key rotation of " + flux.gitRepository());
        ctx.log().info("Reverted " + file + " to " + committedFrom);
        committedTo = null;
    }

    /**
     * A run killed after pushing the new key ID but before writing the cluster: the cluster still holds
     * the old key and URL, so those go back into Git before the new key is deleted.
     */
    void revertInterrupted(String pending, GitAuth.SshKey current) {
        String url = kube.url(flux);
        String pendingUrl = CodeCommitUrl.parse(url).withSshUser(pending).gitUrl();
        Optional<String> file = path();
        if (file.isEmpty() || pendingUrl.equals(url)) {
            return;
        }
        Access access = access(url, current);
        if (edit(
                access.url(),
                access.auth(),
                file.get(),
                pendingUrl,
                url,
                "Revert the interrupted CodeCommit SSH key rotation of " + flux.gitRepository())) {
            ctx.log().info("Reverted " + file.get() + " to " + url + ", left by an interrupted rotation");
        }
    }

    /**
     * Replaces one URL by another in the file and pushes; false when the file does not name it.
     * Without a commit message it only checks that the file names {@code from}, and changes nothing.
     */
    private boolean edit(CodeCommitUrl access, GitAuth auth, String file, String from, String to, String message) {
        for (int attempt = 1; ; attempt++) {
            Path dir;
            dir = io.jenkins.plugins.fluxcodecommit.git.WorkingCopies.create(ctx.environment(), "rotation");
            try (GitAccess git = GitAccess.builder(access, auth)
                            .redactor(ctx.redactor())
                            .aws(ctx.aws())
                            .environment(ctx.environment())
                            .open();
                    Checkout checkout = git.cloneBranch(dir.resolve("repo"), branch())) {
                Path sync = checkout.directory().resolve(file);
                String text = Files.exists(sync) ? Files.readString(sync) : "";
                if (!text.contains("url: " + from)) {
                    ctx.log().warn(file + " does not name " + from + "; the repository is left as it is");
                    return false;
                }
                if (message == null) {
                    return true;
                }
                Files.writeString(sync, text.replace("url: " + from, "url: " + to));
                Optional<String> commit = git.commitAll(checkout, message, GitAccess.author("Flux", "", ctx.clock()));
                pushed = commit.orElse(null);
                if (commit.isPresent()) {
                    ctx.calls().around("git push " + file, true, () -> {
                        git.push(checkout);
                        return null;
                    });
                }
                return true;
            } catch (NonFastForwardException e) {
                if (attempt >= 3) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                Directories.delete(dir);
            }
        }
    }

    private String branch() {
        Object ref = ClusterObjects.spec(kube.gitRepository(flux)).get("ref");
        if (ref instanceof Map<?, ?> map && map.get("branch") != null) {
            return String.valueOf(map.get("branch"));
        }
        return "main";
    }
}
