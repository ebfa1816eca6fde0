package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterApply;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an export or a dry run writes and reports: the three files in a directory, the objects a
 * real run would apply, and what it would do to the source secret. Never pushes or applies.
 */
record BootstrapExport(
        CodeCommitUrl url,
        String branch,
        String base,
        InstallManifests install,
        List<ObjectNode> installObjects,
        SyncManifests sync) {

    /**
     * Writes the three files to the export directory (or a temporary one) and lists, in apply
     * order, the objects a real run would apply.
     *
     * @param exportDirectory where to write, or {@code null} for a new temporary directory
     */
    BootstrapResult write(
            String exportDirectory,
            String kustomizationYaml,
            String secretPlan,
            Instant started,
            Clock clock,
            ProgressListener log) {
        Path dir;
        try {
            dir = exportDirectory != null
                    ? Files.createDirectories(Path.of(exportDirectory))
                    : Files.createTempDirectory("flux-codecommit-export");
        } catch (IOException ex) {
            throw new InvalidInputException(
                    "The export directory " + exportDirectory + " cannot be created: "
                            + io.jenkins.plugins.fluxcodecommit.error.FileFailure.describe(ex) + ".",
                    "Give a writable directory.");
        }
        write(dir.resolve(base).resolve("gotk-components.yaml"), install.yaml());
        write(dir.resolve(base).resolve("gotk-sync.yaml"), sync.yaml());
        write(dir.resolve(base).resolve("kustomization.yaml"), kustomizationYaml);
        log.info("Wrote " + base + "/{gotk-components.yaml,gotk-sync.yaml,kustomization.yaml} to " + dir
                + " (nothing pushed, nothing applied)");
        List<String> plan = new ArrayList<>();
        List<ObjectNode> all = new ArrayList<>(installObjects);
        all.addAll(sync.objects());
        ClusterApply.applyOrder(all).forEach(o -> plan.add(ClusterApply.id(o) + " planned"));
        return new BootstrapResult(
                url.toString(),
                branch,
                null,
                List.of(),
                false,
                plan,
                secretPlan,
                false,
                true,
                dir.toString(),
                Duration.between(started, clock.instant()));
    }

    /** Logs, for a dry run, which of the three files a real run would add or change on the branch. */
    void logPlannedFiles(Function<String, String> read, String kustomizationYaml, ProgressListener log) {
        Map<String, String> files = new TreeMap<>(Map.of(
                "gotk-components.yaml",
                install.yaml(),
                "gotk-sync.yaml",
                sync.yaml(),
                "kustomization.yaml",
                kustomizationYaml));
        files.forEach((name, content) -> {
            String current = read.apply(base + "/" + name);
            log.info("Dry run: " + base + "/" + name + " "
                    + (current == null ? "would be added" : current.equals(content) ? "is up to date" : "would change")
                    + " on branch " + branch);
        });
    }

    static final String NO_SECRET_REASON = "provider: aws, source-controller signs with its own IAM role";
    static final String NO_SECRET = "none (" + NO_SECRET_REASON + "; no Git credential is stored)";

    /** The source secret's plan without a cluster to read. */
    static String plannedSecret(GitAuth auth) {
        if (auth instanceof GitAuth.SshKey s) {
            return "planned (keys: identity, identity.pub, known_hosts" + (s.passphrase() == null ? "" : ", password")
                    + ")";
        } else if (auth instanceof GitAuth.Iam) {
            return NO_SECRET;
        } else if (auth instanceof GitAuth.Basic) {
            return "planned (keys: password, username)";
        }
        return "none";
    }

    /** What a real run would do to the source secret, read from the cluster without changing it. */
    static String dryRunSecret(
            GitAuth auth,
            SourceSecret secret,
            Optional<FluxCluster.ExistingSecret> current,
            Set<String> staleCredentials) {
        if (auth instanceof GitAuth.Iam) {
            if (staleCredentials.isEmpty()) {
                return NO_SECRET;
            }
            boolean emptied = current.get().data().size() == staleCredentials.size();
            return (emptied ? "would delete" : "would update") + " (temporary operator credentials " + staleCredentials
                    + " removed: " + NO_SECRET_REASON + ")";
        }
        if (secret.data().isEmpty()) {
            return "none (no credentials to store)";
        }
        if (current.isEmpty()) {
            return "would create (keys: " + secret.keys() + ")";
        }
        return secret.sameAs(current.get().data()) ? "unchanged" : "would update (keys: " + secret.keys() + ")";
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
