package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.rotation.Rotation;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * The checks of a bootstrap's inputs, and of what the cluster already holds, that refuse a run
 * before anything changes; a dry run makes the same ones.
 */
public final class BootstrapChecks {
    /** The shortest sync interval accepted; see docs/bootstrap.md for why. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

    private BootstrapChecks() {}

    /** The branch, {@code main} when none was given; an empty one given explicitly is an error, not {@code main}. */
    static String validBranch(String branch) {
        if (branch != null && branch.isBlank()) {
            throw new InvalidInputException(
                    "The branch name is empty.",
                    "Give the branch Flux syncs, such as main, or leave the option out for main.");
        }
        String b = branch == null ? "main" : branch.trim();
        if (!Repository.isValidRefName("refs/heads/" + b)) {
            throw new InvalidInputException("'" + b + "' is not a valid branch name.", "Use a name such as main.");
        }
        return b;
    }

    /**
     * The sync interval. Below {@link #MIN_INTERVAL} source-controller would fetch the repository
     * continuously (a fetch takes seconds) against CodeCommit's request quotas: refused. Below Flux's
     * default of 1m: a warning.
     */
    public static Duration validInterval(String text, ProgressListener log) {
        Duration interval = GoDuration.parse(text, "the sync interval");
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new InvalidInputException(
                    "The sync interval " + GoDuration.format(interval) + " is shorter than "
                            + GoDuration.format(MIN_INTERVAL)
                            + ": source-controller would fetch the repository without pause.",
                    "Give 1m (Flux's default) or more; at least " + GoDuration.format(MIN_INTERVAL) + ".");
        }
        if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
            log.warn("The sync interval " + GoDuration.format(interval) + " is shorter than Flux's default of 1m:"
                    + " every interval source-controller fetches from the repository");
        }
        return interval;
    }

    /** HTTPS with IAM writes {@code provider: aws}, which older source-controllers refuse to apply. */
    static void requireProviderAws(FluxVersion version) {
        if (version.before(FluxVersion.PROVIDER_AWS)) {
            throw new InvalidInputException(
                    "Flux " + version + " cannot fetch over HTTPS with IAM: the GitRepository's provider: aws needs"
                            + " Flux " + FluxVersion.PROVIDER_AWS + " or later (source-controller v1.9.0).",
                    "Use Flux " + FluxVersion.PROVIDER_AWS + " or later, such as " + InstallOptions.DEFAULT_VERSION
                            + ", or bootstrap over SSH with an IAM SSH key.");
        }
    }

    /** An existing sync of another path, unless forced: bootstrapping would move the cluster. */
    static void refuseAnotherPath(Optional<ObjectNode> existing, SyncManifests sync, String ns, boolean force) {
        if (existing.isPresent()) {
            String existingPath = SyncManifests.normalizePath(
                    existing.get().path("spec").path("path").asText(""));
            if (!existingPath.equals(sync.kustomizationPath()) && !force) {
                throw new InvalidInputException(
                        "Kustomization " + ns + "/" + ns + " in the cluster syncs path " + existingPath + ", not "
                                + sync.kustomizationPath()
                                + ". Bootstrapping would move the cluster to another path.",
                        "Use path " + existingPath.substring(2) + ", or pass force to move it deliberately.");
            }
        }
    }

    /** A secret of another type under the source secret's name is not Flux's to overwrite. */
    static void refuseForeignSecret(Optional<FluxCluster.ExistingSecret> existing, String ns, String name) {
        if (existing.isPresent() && !existing.get().opaque()) {
            throw new InvalidInputException(
                    "Secret " + ns + "/" + name + " exists with type "
                            + existing.get().type()
                            + ", not Opaque like Flux's source secret: it is another kind of secret.",
                    "Give another secret name, or delete that secret if nothing uses it.");
        }
    }

    /**
     * A rotation of the source's credential is under way (its phase annotation is not done): a
     * bootstrap now would rewrite the secret and gotk-sync.yaml under it, and could put back a key
     * the rotation has deactivated. Refused before any change, whatever {@code --force} says.
     */
    static void refuseDuringRotation(Optional<FluxCluster.ExistingSecret> existing, String ns, String name) {
        String phase = existing.map(s -> s.annotations().get(Rotation.PHASE)).orElse(null);
        if (phase != null && !phase.isEmpty() && !phase.equals("done")) {
            throw new InvalidInputException(
                    "A rotation of the credential in Secret " + ns + "/" + name + " is unfinished (phase " + phase
                            + "); a bootstrap now would overwrite it.",
                    "Run the rotation again (rotateCodeCommitKey / flux-codecommit rotate) so it finishes or rolls"
                            + " back, then bootstrap.");
        }
    }

    /** {@code <path>/<namespace>}, refusing absolute paths and paths that leave the repository. */
    static String basePath(String path, String namespace) {
        String p = path == null ? "" : path.trim();
        if (p.startsWith("/") || p.contains("\\")) {
            throw new InvalidInputException(
                    "The path '" + p + "' must be relative to the repository root.", "Write it like clusters/prod.");
        }
        String normalized = SyncManifests.normalizePath(p).substring(2);
        for (String segment : normalized.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new InvalidInputException(
                        "The path '" + p + "' leaves or re-enters the repository root ('" + segment + "').",
                        "Write it without . or .. segments, like clusters/prod.");
            }
        }
        return normalized.isEmpty() ? namespace : normalized + "/" + namespace;
    }
}
