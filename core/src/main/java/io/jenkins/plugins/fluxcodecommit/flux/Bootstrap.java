package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NonFastForwardException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterApply;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates;
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
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code flux bootstrap git} for CodeCommit, natively: commit the component manifests, install
 * them when the cluster has no synced Flux yet, write the source secret, commit and apply the sync
 * manifests, and wait until Flux has synced the branch head.
 *
 * <p>Everything that can be refused is checked before the first change, so a bad input leaves
 * nothing half done; a push that loses a race re-clones and redoes its step.
 */
public final class Bootstrap {
    static final int PUSH_ATTEMPTS = 5;
    private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final BootstrapRequest request;
    private final Map<String, String> environment;
    private final Clock clock;

    public Bootstrap(BootstrapRequest request, Map<String, String> environment, Clock clock) {
        this.request = request;
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    public BootstrapResult call(ProgressListener listener) {
        Instant started = clock.instant();
        Redactor redactor = Redactor.of(request.password(), request.sshPrivateKey(), request.sshPassphrase());
        ProgressListener log = ProgressListener.redacting(listener, redactor);

        // 1. Validate everything that can be refused before anything changes anywhere.
        CodeCommitUrl url = CodeCommitUrl.parse(request.url());
        String branch = BootstrapChecks.validBranch(request.branch());
        String base = BootstrapChecks.basePath(request.path(), request.install().namespace());
        Duration interval = BootstrapChecks.validInterval(request.interval(), log);
        Duration timeout = request.timeout() == null ? Duration.ofMinutes(5) : request.timeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException(
                    "The timeout " + GoDuration.format(timeout) + " is not positive.", "Give a timeout such as 5m.");
        }
        if (request.secretName() == null
                || !SECRET_NAME.matcher(request.secretName()).matches()) {
            throw new InvalidInputException(
                    "'" + request.secretName() + "' is not a valid secret name.",
                    "Use lower-case letters, digits, '-' and '.', e.g. flux-system.");
        }
        if (request.sourceControllerRoleArn() != null
                && !request.sourceControllerRoleArn().matches("arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/.+")) {
            throw new InvalidInputException(
                    "'" + request.sourceControllerRoleArn() + "' is not an IAM role ARN for source-controller.",
                    "Give the ARN of the role source-controller assumes with IRSA (codecommit:GitPull on the repository).");
        }
        if (request.cluster() != null) {
            // Also for a dry run: the cluster named must be the cluster used, or none.
            KubeConnection.check(request.cluster(), environment);
        }
        TrustedCertificates trust = TrustedCertificates.load(request.aws().caFile());
        GitAuth auth = GitAuth.choose(
                url,
                request.identity(),
                request.region(),
                request.username(),
                request.password(),
                request.sshPrivateKey(),
                request.sshPassphrase(),
                request.knownHosts());
        SshKeyPair key = null;
        if (auth instanceof GitAuth.SshKey ssh) {
            key = SshKeyPair.parse(ssh.privateKey(), ssh.passphrase());
            if (url.isCodeCommit() || url.user() != null && url.user().startsWith("APKA")) {
                key.requireCodeCommitCompatible();
            }
        }
        if (auth instanceof GitAuth.Anonymous
                && request.cluster() != null
                && url.transport() != CodeCommitUrl.Transport.FILE) {
            throw new InvalidInputException(
                    "No credentials were given for " + url + ", so Flux would have nothing to fetch it with.",
                    "Give an IAM identity (HTTPS), an SSH key (SSH) or HTTPS Git credentials.");
        }
        String provider = auth instanceof GitAuth.Iam ? "aws" : null;
        if (provider != null) {
            BootstrapChecks.requireProviderAws(
                    FluxVersion.parse(request.install().version()));
        }
        if (provider != null && url.isNonStandardHost()) {
            log.warn(
                    url.host() + " is not a standard CodeCommit host: source-controller's provider: aws accepts only"
                            + " git-codecommit.REGION.amazonaws.com (use the VPC endpoint's private DNS with the standard host).");
        }
        SyncManifests sync = new SyncManifests(
                request.install().namespace(),
                url.gitUrl(),
                branch,
                provider == null ? request.secretName() : null,
                interval,
                request.path(),
                provider,
                request.sourceControllerRoleArn());
        boolean push =
                !request.dryRun() && (request.cluster() != null || url.transport() == CodeCommitUrl.Transport.FILE);
        // A dry run against a cluster reads it and the repository, and refuses what a real run would.
        boolean preflight = request.dryRun() && request.cluster() != null;

        // 2. Manifests.
        Path cache = Path.of(
                request.manifestsCacheDirectory() != null
                        ? request.manifestsCacheDirectory()
                        : System.getProperty("user.home") + "/.cache/flux-codecommit/manifests");
        ManifestFiles files =
                ManifestFiles.load(request.manifests(), request.install().version(), cache, timeout, log);
        InstallManifests install = InstallManifests.generate(files, request.install());
        String ns = install.options().namespace();

        if (!push && !preflight) {
            IrsaRole role = IrsaRole.given(request.sourceControllerRoleArn());
            return new BootstrapExport(url, branch, base, install, withIrsa(install.objects(), role.arn()), sync)
                    .write(
                            request.exportDirectory(),
                            sync.kustomizationYaml(),
                            BootstrapExport.plannedSecret(auth),
                            started,
                            clock,
                            log);
        }

        try (AwsClients aws = new AwsClients(request.aws(), trust, redactor, environment);
                KubeConnection kube = request.cluster() == null
                        ? null
                        : KubeConnection.open(
                                request.cluster(),
                                aws,
                                request.identity(),
                                environment,
                                redactor,
                                clock,
                                Duration.ofSeconds(60))) {
            FluxCluster flux =
                    kube == null ? null : new FluxCluster(kube.client(), kube.describe(), redactor, log, clock);
            ClusterApply apply = kube == null
                    ? null
                    : new ClusterApply(kube.client(), kube.describe(), log, redactor, clock, request.pollInterval());

            // 3. What the cluster holds that a bootstrap would overwrite is refused before any commit.
            Optional<ObjectNode> existing = flux == null ? Optional.empty() : flux.kustomization(ns);
            BootstrapChecks.refuseAnotherPath(existing, sync, ns, request.force());
            Optional<FluxCluster.ExistingSecret> currentSecret =
                    flux == null ? Optional.empty() : flux.secret(ns, request.secretName());
            BootstrapChecks.refuseForeignSecret(currentSecret, ns, request.secretName());
            BootstrapChecks.refuseDuringRotation(currentSecret, ns, request.secretName());

            try (GitAccess git = GitAccess.builder(url, auth)
                    .pinnedKnownHosts(pinnedKnownHosts(flux, ns, auth), "Secret " + ns + "/" + request.secretName())
                    .acceptNewHostKey(request.acceptNewHostKey())
                    .aws(aws)
                    .redactor(redactor)
                    .listener(log)
                    .environment(environment)
                    .clock(clock)
                    .open()) {
                PersonIdent author = GitAccess.author(request.authorName(), request.authorEmail(), clock);
                List<String> commits = new ArrayList<>();
                List<String> applied = new ArrayList<>();
                Steps steps = new Steps(git, branch, author, log);
                try {
                    // The repository decides source-controller's IAM role: read it before any change.
                    String kustomizationFile = base + "/kustomization.yaml";
                    IrsaRole role = IrsaRole.decide(
                            kustomizationFile,
                            steps.read(kustomizationFile),
                            relative -> steps.read(base + "/" + relative),
                            request.sourceControllerRoleArn(),
                            request.force(),
                            log);
                    List<ObjectNode> installObjects = withIrsa(install.objects(), role.arn());
                    Set<String> staleCredentials = provider == null
                            ? Set.of()
                            : currentSecret
                                    .map(c -> SourceSecret.temporaryIamCredentials(c.data()))
                                    .orElse(Set.of());
                    // provider: aws needs no secret; one that keeps other keys (a ca.crt) stays referenced.
                    if (provider != null
                            && currentSecret.isPresent()
                            && currentSecret.get().data().size() > staleCredentials.size()) {
                        sync = sync.withSecretName(request.secretName());
                    }
                    SyncManifests syncFinal = sync;
                    if (request.dryRun()) {
                        BootstrapExport export =
                                new BootstrapExport(url, branch, base, install, installObjects, syncFinal);
                        String kustomizationYaml =
                                role.kustomization(steps.read(kustomizationFile), syncFinal.kustomizationYaml());
                        export.logPlannedFiles(steps::read, kustomizationYaml, log);
                        SourceSecret wanted = provider == null ? sourceSecret(auth, key, git) : null;
                        return export.write(
                                request.exportDirectory(),
                                kustomizationYaml,
                                BootstrapExport.dryRunSecret(auth, wanted, currentSecret, staleCredentials),
                                started,
                                clock,
                                log);
                    }
                    // 4. Component manifests.
                    String componentsMessage =
                            message("Add Flux " + install.options().version() + " component manifests");
                    steps.commitAndPush(
                            dir -> write(dir.resolve(base).resolve("gotk-components.yaml"), install.yaml()),
                            componentsMessage,
                            commits);
                    if (commits.isEmpty()) {
                        log.info("Component manifests are up to date");
                    }

                    // 5. Install when Flux has never synced this cluster.
                    boolean installed = false;
                    if (flux != null) {
                        boolean synced = existing.isPresent()
                                && !existing.get()
                                        .path("status")
                                        .path("lastAppliedRevision")
                                        .asText("")
                                        .isEmpty();
                        if (!synced) {
                            log.info("Installing Flux " + install.options().version() + " in " + kube.describe());
                            record(applied, apply.apply(installObjects, Duration.ofMinutes(1)));
                            installed = true;
                        } else {
                            log.info("Flux is installed and synced; the components are upgraded by Flux from Git");
                        }
                    }

                    // 6. Source secret.
                    String secretChange;
                    if (provider != null) {
                        secretChange = flux == null || staleCredentials.isEmpty()
                                ? BootstrapExport.NO_SECRET
                                : flux.removeKeys(ns, request.secretName(), staleCredentials)
                                        + " (temporary operator credentials removed: "
                                        + BootstrapExport.NO_SECRET_REASON + ")";
                    } else {
                        SourceSecret secret = sourceSecret(auth, key, git);
                        secretChange = flux == null
                                ? secret.data().isEmpty()
                                        ? "none (no credentials to store)"
                                        : "planned (keys: " + secret.keys() + ")"
                                : flux.upsertSecret(ns, request.secretName(), secret, false);
                    }

                    // 7. Sync manifests.
                    steps.commitAndPush(
                            dir -> {
                                write(dir.resolve(base).resolve("gotk-sync.yaml"), syncFinal.yaml());
                                String current = steps.read(kustomizationFile);
                                String wanted = role.kustomization(current, syncFinal.kustomizationYaml());
                                if (!wanted.equals(current)) {
                                    write(dir.resolve(base).resolve("kustomization.yaml"), wanted);
                                }
                            },
                            message("Add Flux sync manifests"),
                            commits);
                    String revision = branch + "@sha1:" + steps.head();
                    if (apply != null) {
                        record(applied, apply.apply(syncFinal.objects(), Duration.ofMinutes(1)));
                    } else {
                        ClusterApply.applyOrder(concat(installObjects, syncFinal.objects()))
                                .forEach(o -> applied.add(ClusterApply.id(o) + " planned"));
                    }

                    // 8. Health.
                    boolean healthy = false;
                    if (flux != null && request.waitForHealth()) {
                        log.info("Waiting for Flux to sync " + revision);
                        flux.waitHealthy(
                                ns, install.options().allComponents(), revision, timeout, request.pollInterval());
                        healthy = true;
                    }
                    return new BootstrapResult(
                            url.toString(),
                            branch,
                            revision,
                            commits,
                            installed,
                            applied,
                            secretChange,
                            healthy,
                            flux == null,
                            null,
                            Duration.between(started, clock.instant()));
                } finally {
                    steps.close();
                }
            }
        }
    }

    private String message(String subject) {
        String appendix = request.commitMessageAppendix();
        return appendix == null || appendix.isBlank() ? subject : subject + "\n\n" + appendix;
    }

    private SourceSecret sourceSecret(GitAuth auth, SshKeyPair key, GitAccess git) {
        if (auth instanceof GitAuth.SshKey ssh) {
            return SourceSecret.ssh(key, ssh.privateKey(), ssh.passphrase(), git.knownHosts());
        }
        if (auth instanceof GitAuth.Basic basic) {
            return SourceSecret.basic(basic.username(), basic.password());
        }
        return new SourceSecret(Map.of());
    }

    /** The known_hosts an earlier SSH bootstrap stored in the source secret: kept unless the host key changed. */
    private String pinnedKnownHosts(FluxCluster flux, String ns, GitAuth auth) {
        if (flux == null || !(auth instanceof GitAuth.SshKey)) {
            return null;
        }
        return flux.secretValue(ns, request.secretName(), "known_hosts").orElse(null);
    }

    private static List<ObjectNode> withIrsa(List<ObjectNode> objects, String roleArn) {
        if (roleArn == null) {
            return objects;
        }
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : objects) {
            if (Yaml.kind(o).equals("ServiceAccount") && Yaml.name(o).equals("source-controller")) {
                ObjectNode copy = o.deepCopy();
                copy.with("metadata").with("annotations").put("eks.amazonaws.com/role-arn", roleArn);
                out.add(copy);
            } else {
                out.add(o);
            }
        }
        return out;
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void record(List<String> applied, List<ClusterApply.Applied> results) {
        results.forEach(r -> applied.add(r.id() + " " + r.change().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout bootstrap works in, re-cloned when a push loses a race. */
    private final class Steps implements AutoCloseable {
        private final GitAccess git;
        private final String branch;
        private final PersonIdent author;
        private final ProgressListener log;
        private Checkout checkout;
        private Path dir;

        Steps(GitAccess git, String branch, PersonIdent author, ProgressListener log) {
            this.git = git;
            this.branch = branch;
            this.author = author;
            this.log = log;
        }

        private void fresh() {
            close();
            dir = io.jenkins.plugins.fluxcodecommit.git.WorkingCopies.create(environment, "bootstrap");
            checkout = git.cloneBranch(dir.resolve("repo"), branch);
        }

        void commitAndPush(java.util.function.Consumer<Path> change, String message, List<String> commits) {
            for (int attempt = 1; ; attempt++) {
                if (checkout == null) {
                    fresh();
                }
                change.accept(checkout.directory());
                Optional<String> commit = git.commitAll(checkout, message, author);
                if (commit.isEmpty()) {
                    return;
                }
                try {
                    git.push(checkout);
                    commits.add(commit.get());
                    return;
                } catch (NonFastForwardException e) {
                    if (attempt >= PUSH_ATTEMPTS) {
                        throw new RemoteOperationException(
                                "The branch " + branch + " kept moving: " + PUSH_ATTEMPTS + " pushes lost the race.",
                                "Pause other writers to the branch and run again.");
                    }
                    log.info("The branch " + branch + " moved meanwhile; cloning again and redoing the change");
                    fresh();
                }
            }
        }

        String head() {
            if (checkout == null) {
                fresh();
            }
            return checkout.head();
        }

        /** A file of the branch as the checkout has it, or {@code null}; clones first if needed. */
        String read(String relative) {
            if (checkout == null) {
                fresh();
            }
            Path file = checkout.directory().resolve(relative).normalize();
            if (!file.startsWith(checkout.directory()) || !Files.isRegularFile(file)) {
                return null;
            }
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (checkout != null) {
                checkout.close();
                checkout = null;
            }
            if (dir != null) {
                io.jenkins.plugins.fluxcodecommit.git.Directories.delete(dir);
                dir = null;
            }
        }
    }
}
