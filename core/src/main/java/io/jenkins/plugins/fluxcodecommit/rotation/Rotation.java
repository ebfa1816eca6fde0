package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NonFastForwardException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.Directories;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.kube.KubeFailures;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Replaces the CodeCommit credential a cluster uses, with never a moment without a working one:
 * inspect, make room (only by removing a credential nothing uses), create, wait until the new one
 * works, write every target, let Flux reconcile with it, deactivate the old one, delete it.
 *
 * <p>The phase is recorded in annotations on the first target's secret before and after each
 * irreversible step, so a rerun after a crash resumes and never creates a third credential; a
 * failure rolls back to the old credential.
 */
public final class Rotation {
    static final String PREFIX = "rotation.flux-codecommit.io/";
    /** The rotation phase annotation on the first target's secret; {@code done} or absent when none is under way. */
    public static final String PHASE = PREFIX + "phase";

    static final String PENDING = PREFIX + "pending";
    static final String PREVIOUS = PREFIX + "previous";
    static final String STARTED = PREFIX + "started";
    static final String ROTATED = PREFIX + "rotated";
    /** The credential the last finished rotation put in place, which {@link #ROTATED} dates. */
    static final String CURRENT = PREFIX + "current";
    /** The IDs IAM listed for the user just before this run created its credential: any other is the run's. */
    static final String EXISTING = PREFIX + "existing";

    static final String LOCK = PREFIX + "lock";
    private static final String HOST = hostName();
    private static final String HOLDER = HOST + ":" + ProcessHandle.current().pid();

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private final RotationRequest request;
    private final Map<String, String> environment;
    private final Clock clock;
    private final UnaryOperator<IamCredentials> iamDecorator;

    public Rotation(RotationRequest request, Map<String, String> environment, Clock clock) {
        this(request, environment, clock, UnaryOperator.identity());
    }

    /** With a decorator around IAM: tests use it to inject faults. */
    public Rotation(
            RotationRequest request,
            Map<String, String> environment,
            Clock clock,
            UnaryOperator<IamCredentials> iamDecorator) {
        this.request = request;
        this.environment = Map.copyOf(environment);
        this.clock = clock;
        this.iamDecorator = iamDecorator;
    }

    public RotationResult call(ProgressListener listener, CredentialSink sink) {
        Instant started = clock.instant();
        Redactor redactor = new Redactor();
        ProgressListener log = ProgressListener.redacting(listener, redactor);
        request.validate();
        KubeConnection.check(request.cluster(), environment);
        AwsIdentity identity = request.identity() != null ? request.identity() : DefaultChain.create();
        AtomicInteger calls = new AtomicInteger();
        try (AwsClients aws = new AwsClients(request.aws(), redactor, environment);
                KubeConnection kube = KubeConnection.open(
                        request.cluster(), aws, identity, environment, redactor, clock, Duration.ofSeconds(30))) {
            IamCredentials iam = counting(
                    iamDecorator.apply(new SdkIamCredentials(
                            aws.iam(aws.credentials(identity, region()), region()), redactor, identity.describe())),
                    calls);
            Run run = new Run(aws, kube, iam, redactor, log, sink);
            RotationResult.Outcome outcome;
            if (!request.dryRun()) {
                run.preflight();
            }
            String lock = request.dryRun() ? null : run.lock();
            try {
                outcome = run.execute();
            } finally {
                if (lock != null) {
                    run.unlock(lock);
                }
            }
            return new RotationResult(
                    request.name(),
                    request.kind(),
                    run.oldId,
                    run.newId,
                    outcome,
                    run.message,
                    Duration.between(started, clock.instant()),
                    calls.get());
        }
    }

    private String region() {
        return request.region() == null ? "us-east-1" : request.region();
    }

    /** One execution against one cluster. */
    private final class Run {
        private final AwsClients aws;
        private final KubernetesClient client;
        private final String clusterName;
        private final IamCredentials iam;
        private final Redactor redactor;
        private final ProgressListener log;
        private final CredentialSink sink;
        private final RotationTarget primary;
        String oldId;
        String newId;
        String message = "";

        Run(
                AwsClients aws,
                KubeConnection kube,
                IamCredentials iam,
                Redactor redactor,
                ProgressListener log,
                CredentialSink sink) {
            this.aws = aws;
            this.client = kube.client();
            this.clusterName = kube.describe();
            this.iam = iam;
            this.redactor = redactor;
            this.log = log;
            this.sink = sink;
            this.primary = request.targets().get(0);
        }

        /**
         * Reads what the run will need before its first write (the lease): every target exists and
         * IAM knows the user, so a wrong name changes nothing, not even the lease annotation.
         */
        void preflight() {
            // An unfinished rotation's gotk-sync.yaml may name its new key: the resume handles that.
            boolean resuming =
                    !annotations(secret(primary)).getOrDefault(PHASE, "done").equals("done");
            for (RotationTarget t : request.targets()) {
                Secret s = secret(t);
                if (t instanceof RotationTarget.NamedSecret named) {
                    checkMapping(named, s);
                }
                if (t instanceof RotationTarget.FluxSource flux) {
                    gitRepository(flux);
                    if (request.kind() == CredentialKind.SSH_KEY && !resuming) {
                        checkSyncFile(flux);
                    }
                }
            }
            iam.list(request.user(), request.kind());
        }

        /**
         * Every data key the mapping names for this kind is in the secret: a typo (accessKeyId=AccessKeyId
         * where the secret has accessKeyID) would otherwise add a key nothing reads beside the old one.
         */
        private void checkMapping(RotationTarget.NamedSecret named, Secret s) {
            List<String> present = s.getData() == null
                    ? List.of()
                    : s.getData().keySet().stream().sorted().toList();
            List<String> fields = new ArrayList<>(RotationTarget.NamedSecret.required(request.kind()));
            if (request.kind() == CredentialKind.SSH_KEY) {
                fields.add("publicKey");
            }
            for (String field : fields) {
                String key = named.keys().get(field);
                if (key != null && !present.contains(key)) {
                    String near = Suggestion.nearest(key, present);
                    throw new InvalidInputException(
                            named.describe() + " has no data key '" + key + "' (mapped from " + field
                                    + "); its keys are " + present + ".",
                            (near == null
                                            ? "Map " + field + " to one of the secret's keys"
                                            : "Did you mean " + field + "=" + near + "? Map " + field
                                                    + " to the key that holds it")
                                    + "; rotation replaces a credential in place and adds no key beside the old one.");
                }
            }
        }

        /**
         * An SSH key rotation of Flux must commit the new key ID into gotk-sync.yaml, or Flux puts the
         * old URL back once the old key is retired: refused before any change when it cannot be.
         */
        private void checkSyncFile(RotationTarget.FluxSource flux) {
            Optional<String> file = syncFile(flux);
            String url = String.valueOf(spec(gitRepository(flux)).get("url"));
            String fix = "Rotate a Flux source installed by bootstrap (its Kustomization " + flux.namespace() + "/"
                    + flux.namespace() + " applies gotk-sync.yaml, which names the URL unquoted), or rerun"
                    + " fluxCodeCommitBootstrap first; a URL only in the cluster would be reverted by Flux.";
            if (file.isEmpty()) {
                throw new InvalidInputException(
                        "No Kustomization " + flux.namespace() + "/" + flux.namespace() + " manages " + flux.describe()
                                + ", so the new SSH key ID cannot be committed where Flux reads the URL.",
                        fix);
            }
            Map<String, String> data = data(secret(flux));
            var auth = fluxAuth(data);
            if (!editSyncFile(CodeCommitUrl.parse(url), auth, flux, file.get(), url, url, null)) {
                throw new InvalidInputException(
                        file.get() + " on branch " + branch(flux) + " does not name " + url + ", so the new SSH key ID"
                                + " cannot be committed where Flux reads the URL.",
                        fix);
            }
        }

        /**
         * Takes the cluster's rotation lease: an annotation with this run's ID and an expiry, written
         * against the secret's resourceVersion, so two runs cannot rotate one cluster at once and a
         * dead run's lease lapses.
         */
        String lock() {
            Secret s = secret(primary);
            String held = s.getMetadata().getAnnotations().get(LOCK);
            Instant now = clock.instant();
            if (held != null && !stale(held, now)) {
                throw new RemoteOperationException(
                        "Another rotation of " + request.name() + " is running (lease " + held + " on "
                                + primary.describe() + ").",
                        "Wait for it to finish; if it died on another machine, its lease lapses at the time shown.");
            }
            if (held != null) {
                log.info("Taking over the lease of a rotation that is no longer running (" + held + ")");
            }
            String lease = java.util.UUID.randomUUID() + " "
                    + now.plus(request.verifyTimeout().multipliedBy(4)).plus(Duration.ofMinutes(10)) + " " + HOLDER;
            s.getMetadata().getAnnotations().put(LOCK, lease);
            // The update carries the resourceVersion just read: a concurrent taker makes it fail with a conflict.
            kube(
                    () -> client.secrets()
                            .inNamespace(primary.namespace())
                            .resource(s)
                            .update(),
                    "take the rotation lease on " + primary.describe());
            return lease;
        }

        /** A lease is stale when it has lapsed, or when its holder was a process on this machine that is gone. */
        private boolean stale(String lease, Instant now) {
            String[] parts = lease.split(" ");
            if (parts.length < 2 || Instant.parse(parts[1]).isBefore(now)) {
                return true;
            }
            if (parts.length >= 3 && parts[2].contains(":")) {
                String host = parts[2].substring(0, parts[2].lastIndexOf(':'));
                long pid = Long.parseLong(parts[2].substring(parts[2].lastIndexOf(':') + 1));
                return host.equals(HOST) && ProcessHandle.of(pid).isEmpty();
            }
            return false;
        }

        void unlock(String lease) {
            boolean interrupted = Thread.interrupted();
            try {
                if (lease.equals(secret(primary).getMetadata().getAnnotations().get(LOCK))) {
                    annotate(primary, Map.of(), List.of(LOCK));
                }
            } catch (RuntimeException e) {
                log.warn("Could not release the rotation lease (" + e.getMessage() + "); it lapses by itself");
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        RotationResult.Outcome execute() {
            CredentialKind kind = request.kind();
            String user = request.user();
            Map<String, String> state = annotations(secret(primary));
            String phase = state.getOrDefault(PHASE, "done");
            List<String> held = request.targets().stream()
                    .map(this::heldId)
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList();
            if (held.size() > 1 && !phase.equals("written")) {
                throw new InvalidInputException(
                        "The targets of " + request.name() + " hold different credentials " + held + ".",
                        "Point every target at one credential before rotating, or rotate them separately.");
            }
            List<IamCredential> listed = iam.list(user, kind);
            String current = held.isEmpty() ? null : held.get(0);
            if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL && current != null) {
                // Targets hold the Git user name; IAM knows which credential it belongs to.
                String gitUser = current;
                current = listed.stream()
                        .filter(x -> gitUser.equals(x.gitUserName()))
                        .map(IamCredential::id)
                        .findFirst()
                        .orElse(gitUser);
            }

            // Resume after an interruption.
            if (request.dryRun() && !phase.equals("done")) {
                message = "a rotation is unfinished at phase " + phase + "; a run without --dry-run resumes it";
                log.info("Plan: " + message);
                return RotationResult.Outcome.PLANNED;
            }
            String pendingHeld =
                    phase.equals("written") || phase.equals("deactivated") ? heldPending(state, listed) : null;
            if (pendingHeld != null) {
                oldId = state.get(PREVIOUS);
                newId = state.get(PENDING);
                log.info("Resuming the rotation of " + request.name() + " at phase " + phase + " (" + oldId + " -> "
                        + newId + ")");
                boolean oldExists =
                        oldId != null && !oldId.equals(newId) && listed.stream().anyMatch(x -> x.id().equals(oldId));
                if (phase.equals("written")) {
                    // The primary target holds the new credential: copy it to every other target, then
                    // let the caller's store have it too, as the interrupted run would have.
                    NewCredential recovered = recover();
                    for (RotationTarget t : request.targets()) {
                        if (t != primary) {
                            write(t, recovered, Map.of());
                        }
                    }
                    reconcile();
                    sink.accept(recovered);
                }
                retire(oldExists, phase.equals("written"));
                return RotationResult.Outcome.ROTATED;
            }
            if (!phase.equals("done")) {
                // Interrupted before the new credential was confirmed in place (or rolled back part
                // way): the targets do not depend on it, so it goes; nothing else is touched.
                String pending = state.get(PENDING);
                if (phase.equals("committing") && pending != null && !pending.isEmpty()) {
                    revertInterruptedCommit(pending);
                }
                List<String> existing = state.containsKey(EXISTING)
                        ? List.of(state.get(EXISTING).split(","))
                        : null;
                Instant since = state.containsKey(STARTED) ? Instant.parse(state.get(STARTED)) : null;
                for (IamCredential c : listed) {
                    // By the recorded IDs, not by creation time (the local clock is not IAM's); the time
                    // window only for state an earlier release wrote.
                    boolean created = existing != null
                            ? !existing.contains(c.id())
                            : since != null && !c.created().isBefore(since.minusSeconds(5));
                    boolean orphan = c.id().equals(pending)
                            || (created && !c.id().equals(current) && !c.id().equals(state.get(PREVIOUS)));
                    if (orphan && !c.id().equals(current)) {
                        if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                            // A reset slot keeps its ID: make it reusable rather than deleting the slot.
                            log.info("Deactivating " + c.id() + ", reset by an interrupted rotation and never used");
                            iam.setActive(user, kind, c.id(), false);
                        } else {
                            log.info("Deleting " + c.id() + ", created by an interrupted rotation and never used");
                            iam.delete(user, kind, c.id());
                        }
                    }
                }
                annotate(primary, Map.of(PHASE, "done"), List.of(PENDING, STARTED, EXISTING));
                listed = iam.list(user, kind);
            }

            oldId = current;
            String inUseId = current;
            Optional<IamCredential> inUse =
                    listed.stream().filter(x -> x.id().equals(inUseId)).findFirst();
            if (current != null && inUse.isEmpty()) {
                throw new InvalidInputException(
                        "The targets hold " + current + ", which IAM does not list for user " + user + ".",
                        "Check the IAM user name; the credential in the cluster may belong to another user.");
            }
            if (!request.dryRun() && cleanupInactive(listed, current, state)) {
                listed = iam.list(user, kind);
            }

            if (!request.force()
                    && request.maxAge() != null
                    && inUse.isPresent()
                    && since(inUse.get(), state).isAfter(clock.instant().minus(request.maxAge()))) {
                message = current + " is younger than " + request.maxAge().toDays() + " days";
                log.info("Not due: " + message);
                return RotationResult.Outcome.NOT_DUE;
            }
            String room = makeRoom(listed, current, request.dryRun());
            if (request.dryRun()) {
                message = "would " + (room == null ? "" : "delete " + room + ", ") + "create a new " + kind + " for "
                        + user + ", write " + request.targets().size() + " target(s), deactivate " + current;
                log.info("Plan: " + message);
                return RotationResult.Outcome.PLANNED;
            }

            Map<String, String> prior = new HashMap<>(annotations(secret(primary)));
            String existingIds = listed.stream()
                    .map(IamCredential::id)
                    .filter(id -> kind == CredentialKind.HTTPS_GIT_CREDENTIAL || !id.equals(room))
                    .collect(java.util.stream.Collectors.joining(","));
            annotate(
                    primary,
                    Map.of(
                            EXISTING,
                            existingIds,
                            PENDING,
                            kind == CredentialKind.HTTPS_GIT_CREDENTIAL && room != null ? room : "",
                            PHASE,
                            "creating",
                            PREVIOUS,
                            current == null ? "" : current,
                            STARTED,
                            clock.instant().toString()),
                    List.of());
            NewCredential created;
            try {
                created = kind == CredentialKind.HTTPS_GIT_CREDENTIAL && room != null
                        ? iam.reset(user, kind, room)
                        : iam.create(user, kind);
            } catch (AccessDeniedException | InvalidInputException refused) {
                // IAM answered no, so nothing was created: leave no phase for a rerun to resume.
                restoreState(prior);
                throw refused;
            }
            newId = created.id();
            log.info("Created " + kind + " " + newId + " for " + user);
            annotate(primary, Map.of(PHASE, "created", PENDING, newId), List.of());
            Map<RotationTarget, Snapshot> before = new LinkedHashMap<>();
            try {
                verify(created);
                // The snapshots first: once the new URL is pushed, a rollback must be able to revert it.
                for (RotationTarget t : request.targets()) {
                    before.put(t, snapshot(t));
                }
                if (kind == CredentialKind.SSH_KEY
                        && request.targets().stream().anyMatch(RotationTarget.FluxSource.class::isInstance)) {
                    // Recorded before the push: a run killed after it reverts gotk-sync.yaml before removing the key.
                    annotate(primary, Map.of(PHASE, "committing"), List.of());
                    commitNewUrl(created);
                }
                for (RotationTarget t : request.targets()) {
                    write(t, created, t == primary ? Map.of(PHASE, "written", PENDING, newId) : Map.of());
                }
                log.info("Wrote " + newId + " to " + request.targets().size() + " target(s)");
                reconcile();
            } catch (RuntimeException e) {
                rollback(before, created, e);
                throw e;
            }
            sink.accept(created);
            retire(current != null, true);
            return RotationResult.Outcome.ROTATED;
        }

        /**
         * When the credential in use was made: IAM's creation date, or the time of the rotation that put
         * it in place when that is later (a reset HTTPS Git credential slot keeps its creation date).
         */
        private Instant since(IamCredential inUse, Map<String, String> state) {
            String rotated = state.get(ROTATED);
            if (rotated == null || !inUse.id().equals(state.get(CURRENT))) {
                return inUse.created();
            }
            Instant at = Instant.parse(rotated);
            return at.isAfter(inUse.created()) ? at : inUse.created();
        }

        /** Puts the state annotations back as they were; a failure leaves "creating", which a rerun clears. */
        private void restoreState(Map<String, String> prior) {
            Map<String, String> set = new HashMap<>();
            List<String> remove = new ArrayList<>();
            for (String key : List.of(PHASE, PENDING, PREVIOUS, STARTED, EXISTING)) {
                if (prior.containsKey(key)) {
                    set.put(key, prior.get(key));
                } else {
                    remove.add(key);
                }
            }
            try {
                annotate(primary, set, remove);
            } catch (RuntimeException e) {
                log.warn("Could not clear the rotation state (" + e.getMessage() + "); the next run clears it");
            }
        }

        /** The pending credential's ID when the primary target really holds it (not rolled back), else null. */
        private String heldPending(Map<String, String> state, List<IamCredential> listed) {
            String pending = state.get(PENDING);
            String held = heldId(primary);
            if (request.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                held = listed.stream()
                        .filter(x -> x.gitUserName() != null && x.gitUserName().equals(heldId(primary)))
                        .map(IamCredential::id)
                        .findFirst()
                        .orElse(null);
            }
            return pending != null && !pending.isEmpty() && pending.equals(held) ? pending : null;
        }

        /** The new credential as the primary target holds it, for a resumed run. */
        private NewCredential recover() {
            Map<String, String> data = data(secret(primary));
            String id = newId;
            CredentialKind kind = request.kind();
            if (primary instanceof RotationTarget.NamedSecret named) {
                return switch (kind) {
                    case ACCESS_KEY ->
                        new NewCredential(
                                kind,
                                request.user(),
                                id,
                                io.jenkins.plugins.fluxcodecommit.secret.Secret.of(
                                        data.get(named.keys().get("secretAccessKey"))),
                                null);
                    case SSH_KEY -> sshCredential(id, data.get(named.keys().get("privateKey")));
                    case HTTPS_GIT_CREDENTIAL ->
                        new NewCredential(
                                kind,
                                request.user(),
                                id,
                                io.jenkins.plugins.fluxcodecommit.secret.Secret.of(
                                        data.get(named.keys().get("password"))),
                                null,
                                data.get(named.keys().get("username")));
                };
            }
            if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                return new NewCredential(
                        kind,
                        request.user(),
                        id,
                        io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.get("password")),
                        null,
                        data.get("username"));
            }
            return sshCredential(
                    id, data.get(primary instanceof RotationTarget.FluxSource ? "identity" : "sshPrivateKey"));
        }

        private NewCredential sshCredential(String id, String pem) {
            var secret = io.jenkins.plugins.fluxcodecommit.secret.Secret.of(pem);
            redactor.add(secret);
            String pub = io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair.parse(secret, null)
                    .publicKeyOpenSsh();
            return new NewCredential(CredentialKind.SSH_KEY, request.user(), id, secret, pub);
        }

        /** Once the targets work with the new credential: deactivate the old one, and delete it when due. */
        private void retire(boolean oldExists, boolean deactivate) {
            String user = request.user();
            if (deactivate) {
                if (oldExists) {
                    iam.setActive(user, request.kind(), oldId, false);
                    log.info("Deactivated " + oldId);
                }
                annotate(primary, Map.of(PHASE, "deactivated"), List.of());
            }
            if (oldExists && Duration.ZERO.equals(request.deleteAfter())) {
                iam.delete(user, request.kind(), oldId);
                log.info("Deleted " + oldId);
            }
            annotate(
                    primary,
                    Map.of(
                            PHASE,
                            "done",
                            PREVIOUS,
                            oldId == null ? "" : oldId,
                            ROTATED,
                            clock.instant().toString(),
                            CURRENT,
                            newId),
                    List.of(PENDING, STARTED, EXISTING));
            message = (oldId == null ? "(none)" : oldId) + " -> " + newId;
        }

        /** Deletes an inactive credential the last rotation left, once its grace period is over. */
        private boolean cleanupInactive(List<IamCredential> listed, String current, Map<String, String> state) {
            String previous = state.get(PREVIOUS);
            String rotated = state.get(ROTATED);
            if (previous == null || previous.isEmpty() || rotated == null || request.deleteAfter() == null) {
                return false;
            }
            boolean deleted = false;
            boolean due = Instant.parse(rotated).plus(request.deleteAfter()).isBefore(clock.instant());
            for (IamCredential c : listed) {
                if (c.id().equals(previous) && !c.active() && !c.id().equals(current) && due) {
                    iam.delete(request.user(), request.kind(), c.id());
                    log.info("Deleted " + c.id() + ", inactive since the last rotation");
                    deleted = true;
                }
            }
            return deleted;
        }

        /** Frees a slot when IAM's quota is reached, only with a credential nothing uses. */
        private String makeRoom(List<IamCredential> listed, String current, boolean dryRun) {
            int limit = request.kind() == CredentialKind.SSH_KEY ? 5 : 2;
            if (listed.size() < limit) {
                return null;
            }
            List<IamCredential> others =
                    listed.stream().filter(c -> !c.id().equals(current)).toList();
            Optional<IamCredential> free =
                    others.stream().filter(c -> !c.active()).findFirst();
            if (free.isEmpty() && request.kind() == CredentialKind.ACCESS_KEY) {
                free = others.stream().filter(c -> c.lastUsed() == null).findFirst();
            }
            if (free.isEmpty()) {
                throw new InvalidInputException(
                        "User " + request.user() + " has " + listed.size() + " " + request.kind() + "s (the IAM limit);"
                                + " besides " + current + ", which the cluster uses, "
                                + others.stream().map(IamCredential::id).toList()
                                + " are active and used elsewhere, so none can be removed safely.",
                        "Deactivate the one no one needs (aws iam update-"
                                + switch (request.kind()) {
                                    case ACCESS_KEY -> "access-key";
                                    case SSH_KEY -> "ssh-public-key";
                                    case HTTPS_GIT_CREDENTIAL -> "service-specific-credential";
                                }
                                + " --status Inactive), then run again.");
            }
            if (request.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                // Alternate between IAM's two slots: the free one gets a new password, in place.
                log.info("Reusing the slot of " + free.get().id() + " ("
                        + (free.get().active() ? "unused" : "inactive") + ")");
                return free.get().id();
            }
            if (!dryRun) {
                iam.delete(request.user(), request.kind(), free.get().id());
                log.info("Deleted " + free.get().id() + " (" + (free.get().active() ? "never used" : "inactive")
                        + ") to make room");
            }
            return free.get().id();
        }

        /** Bounded polling until the new credential works: STS for keys, Git for SSH keys. */
        private void verify(NewCredential created) {
            Instant deadline = clock.instant().plus(request.verifyTimeout());
            RuntimeException last = null;
            while (clock.instant().isBefore(deadline)) {
                try {
                    if (created.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                        CodeCommitUrl url = CodeCommitUrl.parse(repositoryUrl());
                        try (GitAccess git = GitAccess.builder(
                                        url, new GitAuth.Basic(created.gitUserName(), created.secret()))
                                .redactor(redactor)
                                .aws(aws)
                                .environment(environment)
                                .open()) {
                            git.lsRemote();
                        }
                        log.info("Verified " + created.id() + " (" + created.gitUserName() + ") with Git over HTTPS");
                    } else if (created.kind() == CredentialKind.ACCESS_KEY) {
                        String arn = aws.callerIdentity(new AwsKeys(created.id(), created.secret(), null), region())
                                .arn();
                        log.info("Verified " + created.id() + " with STS: " + arn);
                    } else {
                        try (GitAccess git = sshAccess(created)) {
                            git.lsRemote();
                        }
                        log.info("Verified " + created.id() + " with Git over SSH");
                    }
                    return;
                } catch (FluxCodeCommitException e) {
                    last = e;
                }
                sleep(request.pollInterval());
            }
            throw new RemoteOperationException(
                    "The new " + request.kind() + " " + created.id() + " did not work within " + request.verifyTimeout()
                            + ": " + (last == null ? "" : last.getMessage()),
                    "IAM changes can take a minute to reach every region; raise the verification timeout, and check"
                            + " the user's codecommit:GitPull permission.");
        }

        private GitAccess sshAccess(NewCredential created) {
            CodeCommitUrl url = CodeCommitUrl.parse(repositoryUrl()).withSshUser(created.id());
            return GitAccess.builder(url, new GitAuth.SshKey(created.secret(), null, knownHosts()))
                    .redactor(redactor)
                    .aws(aws)
                    .environment(environment)
                    .open();
        }

        private String repositoryUrl() {
            for (RotationTarget t : request.targets()) {
                if (t instanceof RotationTarget.FluxSource flux) {
                    return String.valueOf(spec(gitRepository(flux)).get("url"));
                }
            }
            for (RotationTarget t : request.targets()) {
                if (t instanceof RotationTarget.ArgoRepository) {
                    String url = data(secret(t)).get("url");
                    if (url != null) {
                        return url;
                    }
                }
            }
            if (request.repositoryUrl() == null) {
                throw new InvalidInputException(
                        "No repository URL to verify the new SSH key on.",
                        "Give the repository URL, or a Flux source target (its GitRepository names it).");
            }
            return request.repositoryUrl();
        }

        private String knownHosts() {
            for (RotationTarget t : request.targets()) {
                if (t instanceof RotationTarget.FluxSource) {
                    String known = data(secret(t)).get("known_hosts");
                    if (known != null && !known.isBlank()) {
                        return known;
                    }
                }
            }
            return null;
        }

        /** A gotk-sync.yaml this run changed, to revert on rollback. */
        private record Committed(RotationTarget.FluxSource flux, String file, String oldUrl, String newUrl) {}

        private final List<Committed> committed = new ArrayList<>();

        /** Commits the new key ID into gotk-sync.yaml, so Flux does not revert the URL. */
        private void commitNewUrl(NewCredential created) {
            for (RotationTarget t : request.targets()) {
                if (!(t instanceof RotationTarget.FluxSource flux)) {
                    continue;
                }
                String oldUrl = String.valueOf(spec(gitRepository(flux)).get("url"));
                String newUrl =
                        CodeCommitUrl.parse(oldUrl).withSshUser(created.id()).gitUrl();
                Optional<String> file = syncFile(flux);
                if (file.isEmpty()) {
                    throw new RemoteOperationException(
                            "The Kustomization that manages " + flux.describe() + " is gone.",
                            "Run the rotation again.");
                }
                var auth = new GitAuth.SshKey(created.secret(), null, knownHosts());
                if (!editSyncFile(
                        CodeCommitUrl.parse(newUrl),
                        auth,
                        flux,
                        file.get(),
                        oldUrl,
                        newUrl,
                        "Rotate the CodeCommit SSH key of " + flux.namespace() + "/" + flux.gitRepository() + " to "
                                + created.id())) {
                    // Checked before the first change; changed since (another commit): stop, and roll back.
                    throw new RemoteOperationException(
                            file.get() + " no longer names " + oldUrl + "; it changed during the rotation.",
                            "Run the rotation again.");
                }
                committed.add(new Committed(flux, file.get(), oldUrl, newUrl));
                log.info("Committed the new key ID to " + file.get());
            }
        }

        /**
         * Replaces one URL by another in a sync file and pushes; false when the file does not name it.
         * With no commit message it only checks that the file names {@code from}, and changes nothing.
         */
        private boolean editSyncFile(
                CodeCommitUrl access,
                GitAuth.SshKey auth,
                RotationTarget.FluxSource flux,
                String file,
                String from,
                String to,
                String message) {
            for (int attempt = 1; ; attempt++) {
                Path dir;
                try {
                    dir = Files.createTempDirectory("flux-codecommit-rotation");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try (GitAccess git = GitAccess.builder(access, auth)
                                .redactor(redactor)
                                .aws(aws)
                                .environment(environment)
                                .open();
                        Checkout checkout = git.cloneBranch(dir.resolve("repo"), branch(flux))) {
                    Path sync = checkout.directory().resolve(file);
                    String text = Files.exists(sync) ? Files.readString(sync) : "";
                    if (!text.contains("url: " + from)) {
                        log.warn(file + " does not name " + from + "; the repository is left as it is");
                        return false;
                    }
                    if (message == null) {
                        return true;
                    }
                    Files.writeString(sync, text.replace("url: " + from, "url: " + to));
                    if (git.commitAll(checkout, message, GitAccess.author("Flux", "", clock))
                            .isPresent()) {
                        git.push(checkout);
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

        private Optional<String> syncFile(RotationTarget.FluxSource flux) {
            GenericKubernetesResource kustomization = kube(
                    () -> client.genericKubernetesResources(FluxCluster.KUSTOMIZATION)
                            .inNamespace(flux.namespace())
                            .withName(flux.namespace())
                            .get(),
                    "read the Kustomization that manages " + flux.describe());
            if (kustomization == null) {
                return Optional.empty();
            }
            String path = String.valueOf(spec(kustomization).getOrDefault("path", "./"));
            path = path.replaceAll("^\\./?", "").replaceAll("/+$", "");
            return Optional.of((path.isEmpty() ? "" : path + "/") + flux.namespace() + "/gotk-sync.yaml");
        }

        private String branch(RotationTarget.FluxSource flux) {
            Object ref = spec(gitRepository(flux)).get("ref");
            if (ref instanceof Map<?, ?> map && map.get("branch") != null) {
                return String.valueOf(map.get("branch"));
            }
            return "main";
        }

        /** Asks Flux to reconcile each Flux target and waits until it is Ready with the new credential. */
        private void reconcile() {
            for (RotationTarget t : request.targets()) {
                if (!(t instanceof RotationTarget.FluxSource flux)) {
                    continue;
                }
                String token = clock.instant().toString();
                // A merge patch of the annotation alone, as `flux reconcile` does: source-controller
                // writes status all the time, so a resourceVersion-checked update would conflict.
                kube(
                        () -> client.genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                                .inNamespace(flux.namespace())
                                .withName(flux.gitRepository())
                                .patch(
                                        PatchContext.of(PatchType.JSON_MERGE),
                                        "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"" + token
                                                + "\"}}}"),
                        "request a reconcile of " + flux.describe());
                Instant deadline = clock.instant().plus(request.verifyTimeout());
                while (true) {
                    GenericKubernetesResource repo = gitRepository(flux);
                    Map<String, Object> status = status(repo);
                    if (token.equals(status.get("lastHandledReconcileAt"))) {
                        String ready = readyStatus(status);
                        if ("True".equals(ready)) {
                            log.info(flux.describe() + " is Ready with the new credential");
                            break;
                        }
                        if ("False".equals(ready)) {
                            throw new RemoteOperationException(
                                    flux.describe() + " is not Ready with the new credential: " + readyMessage(status),
                                    "The old credential is back in place; check the new key's IAM status and"
                                            + " codecommit:GitPull.");
                        }
                    }
                    if (clock.instant().isAfter(deadline)) {
                        throw new RemoteOperationException(
                                flux.describe() + " did not reconcile within " + request.verifyTimeout() + ".",
                                "Check source-controller; the old credential is back in place.");
                    }
                    sleep(request.pollInterval());
                }
            }
        }

        private void rollback(Map<RotationTarget, Snapshot> before, NewCredential created, RuntimeException cause) {
            log.warn("Rolling back: " + cause.getMessage());
            // An abort interrupts this thread; the rollback's own calls must still go through.
            boolean interrupted = Thread.interrupted();
            try {
                revertCommits(before);
                for (var e : before.entrySet()) {
                    if (e.getKey() != primary) {
                        restore(e.getKey(), e.getValue(), Map.of());
                    }
                }
                if (before.containsKey(primary)) {
                    // The old data and phase "created" in one update: a rerun sees the targets on the old
                    // credential and removes the new one, never the other way round.
                    restore(primary, before.get(primary), Map.of(PHASE, "created", PENDING, created.id()));
                }
                if (created.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                    iam.setActive(request.user(), request.kind(), created.id(), false);
                } else {
                    iam.delete(request.user(), request.kind(), created.id());
                }
                annotate(primary, Map.of(PHASE, "done"), List.of(PENDING, STARTED, EXISTING));
                log.info("Rolled back: the targets hold " + oldId + " again and " + created.id() + " is "
                        + (created.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL ? "inactive" : "deleted"));
            } catch (RuntimeException again) {
                log.warn(
                        "The rollback did not finish (" + again.getMessage() + "); run the rotation again to converge");
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * A run killed after pushing the new key ID into gotk-sync.yaml but before writing the cluster:
         * the cluster still holds the old key and URL, so those go back into Git before the new key is
         * deleted; otherwise Flux would apply a URL naming a deleted key.
         */
        private void revertInterruptedCommit(String pending) {
            for (RotationTarget t : request.targets()) {
                if (!(t instanceof RotationTarget.FluxSource flux)) {
                    continue;
                }
                String url = String.valueOf(spec(gitRepository(flux)).get("url"));
                String pendingUrl =
                        CodeCommitUrl.parse(url).withSshUser(pending).gitUrl();
                Optional<String> file = syncFile(flux);
                if (file.isEmpty() || pendingUrl.equals(url)) {
                    continue;
                }
                Map<String, String> data = data(secret(flux));
                var auth = fluxAuth(data);
                if (editSyncFile(
                        CodeCommitUrl.parse(url),
                        auth,
                        flux,
                        file.get(),
                        pendingUrl,
                        url,
                        "Revert the interrupted CodeCommit SSH key rotation of " + flux.gitRepository())) {
                    log.info("Reverted " + file.get() + " to " + url + ", left by an interrupted rotation");
                }
            }
        }

        /** The SSH key a Flux source secret holds (decoded data): its identity, passphrase and known_hosts. */
        private GitAuth.SshKey fluxAuth(Map<String, String> data) {
            return new GitAuth.SshKey(
                    io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.get("identity")),
                    io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.get("password")),
                    data.get("known_hosts"));
        }

        /** Puts the old key ID back into gotk-sync.yaml where this run committed the new one, with the old key. */
        private void revertCommits(Map<RotationTarget, Snapshot> before) {
            for (Committed done : committed) {
                Snapshot old = before.get(done.flux());
                if (old == null) {
                    continue;
                }
                Map<String, String> data = new HashMap<>();
                old.data().forEach((k, v) -> data.put(k, decode(v)));
                var auth = fluxAuth(data);
                editSyncFile(
                        CodeCommitUrl.parse(done.oldUrl()),
                        auth,
                        done.flux(),
                        done.file(),
                        done.newUrl(),
                        done.oldUrl(),
                        "Revert the CodeCommit SSH key rotation of "
                                + done.flux().gitRepository());
                log.info("Reverted " + done.file() + " to " + done.oldUrl());
            }
        }

        // --- targets ---------------------------------------------------------------------------

        /** What a target held before it was written, to put back on rollback. */
        private record Snapshot(Map<String, String> data, String url) {}

        private Snapshot snapshot(RotationTarget t) {
            String url = t instanceof RotationTarget.FluxSource flux
                    ? String.valueOf(spec(gitRepository(flux)).get("url"))
                    : null;
            return new Snapshot(
                    new HashMap<>(
                            secret(t).getData() == null ? Map.of() : secret(t).getData()),
                    url);
        }

        private void restore(RotationTarget t, Snapshot snapshot, Map<String, String> annotations) {
            Secret s = secret(t);
            s.setData(snapshot.data());
            s.getMetadata().getAnnotations().putAll(annotations);
            kube(() -> client.secrets().inNamespace(t.namespace()).resource(s).update(), "restore " + t.describe());
            if (t instanceof RotationTarget.FluxSource flux && snapshot.url() != null) {
                setUrl(flux, snapshot.url());
            }
        }

        private String heldId(RotationTarget t) {
            if (request.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                Map<String, String> data = data(secret(t));
                return data.get(
                        t instanceof RotationTarget.NamedSecret named
                                ? named.keys().get("username")
                                : "username");
            }
            if (t instanceof RotationTarget.FluxSource flux) {
                return CodeCommitUrl.parse(
                                String.valueOf(spec(gitRepository(flux)).get("url")))
                        .user();
            }
            Map<String, String> data = data(secret(t));
            if (t instanceof RotationTarget.ArgoRepository) {
                String url = data.get("url");
                return url == null ? null : CodeCommitUrl.parse(url).user();
            }
            RotationTarget.NamedSecret named = (RotationTarget.NamedSecret) t;
            return data.get(named.keys().get(request.kind() == CredentialKind.ACCESS_KEY ? "accessKeyId" : "sshKeyId"));
        }

        private void write(RotationTarget t, NewCredential c, Map<String, String> annotations) {
            Secret s = secret(t);
            Map<String, String> data = s.getData() == null ? new HashMap<>() : new HashMap<>(s.getData());
            String newFluxUrl = null;
            if (c.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
                Map<String, String> names = t instanceof RotationTarget.NamedSecret named
                        ? named.keys()
                        : Map.of("username", "username", "password", "password");
                put(data, names.get("username"), c.gitUserName());
                put(data, names.get("password"), c.secret().reveal());
            } else if (t instanceof RotationTarget.FluxSource flux) {
                put(data, "identity", c.secret().reveal());
                put(data, "identity.pub", c.publicKey() + "\n");
                data.remove("password");
                newFluxUrl = CodeCommitUrl.parse(
                                String.valueOf(spec(gitRepository(flux)).get("url")))
                        .withSshUser(c.id())
                        .gitUrl();
            } else if (t instanceof RotationTarget.ArgoRepository) {
                put(data, "sshPrivateKey", c.secret().reveal());
                String url = decode(data.get("url"));
                if (url != null) {
                    put(
                            data,
                            "url",
                            CodeCommitUrl.parse(url).withSshUser(c.id()).gitUrl());
                }
            } else {
                RotationTarget.NamedSecret named = (RotationTarget.NamedSecret) t;
                if (c.kind() == CredentialKind.ACCESS_KEY) {
                    put(data, named.keys().get("accessKeyId"), c.id());
                    put(data, named.keys().get("secretAccessKey"), c.secret().reveal());
                } else {
                    put(data, named.keys().get("sshKeyId"), c.id());
                    put(data, named.keys().get("privateKey"), c.secret().reveal());
                    if (named.keys().containsKey("publicKey")) {
                        put(data, named.keys().get("publicKey"), c.publicKey());
                    }
                }
            }
            if (t instanceof RotationTarget.NamedSecret named) {
                named.constants().forEach((k, v) -> put(data, k, v));
            }
            s.setData(data);
            s.getMetadata().getAnnotations().putAll(annotations);
            kube(() -> client.secrets().inNamespace(t.namespace()).resource(s).update(), "write " + t.describe());
            // The secret first, then the URL that names its key: Flux sees the pair as soon as the URL changes.
            if (newFluxUrl != null) {
                setUrl((RotationTarget.FluxSource) t, newFluxUrl);
            }
        }

        private void setUrl(RotationTarget.FluxSource flux, String url) {
            String patch = "{\"spec\":{\"url\":\"" + url.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}";
            kube(
                    () -> client.genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                            .inNamespace(flux.namespace())
                            .withName(flux.gitRepository())
                            .patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                    "update the URL of " + flux.describe());
        }

        private Secret secret(RotationTarget t) {
            Secret s = kube(
                    () -> client.secrets()
                            .inNamespace(t.namespace())
                            .withName(t.secretName())
                            .get(),
                    "read " + t.describe());
            if (s == null) {
                throw new InvalidInputException(
                        t.describe() + " does not exist: there is no secret " + t.namespace() + "/" + t.secretName()
                                + ".",
                        "Check the target's namespace and name; rotation replaces a credential, it does not create the"
                                + " first one (bootstrap does).");
            }
            if (s.getMetadata().getAnnotations() == null) {
                s.getMetadata().setAnnotations(new HashMap<>());
            }
            return s;
        }

        private GenericKubernetesResource gitRepository(RotationTarget.FluxSource flux) {
            GenericKubernetesResource repo = kube(
                    () -> client.genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                            .inNamespace(flux.namespace())
                            .withName(flux.gitRepository())
                            .get(),
                    "read " + flux.describe());
            if (repo == null) {
                throw new InvalidInputException(
                        "There is no GitRepository " + flux.namespace() + "/" + flux.gitRepository() + ".",
                        "Check the Flux target's namespace and name (flux get sources git -A).");
            }
            if (repo.getMetadata().getAnnotations() == null) {
                repo.getMetadata().setAnnotations(new HashMap<>());
            }
            return repo;
        }

        private Map<String, String> annotations(Secret s) {
            return s.getMetadata().getAnnotations();
        }

        /** Sets and removes state annotations on a target's secret, with optimistic concurrency. */
        private void annotate(RotationTarget t, Map<String, String> set, List<String> remove) {
            Secret s = secret(t);
            s.getMetadata().getAnnotations().putAll(set);
            remove.forEach(s.getMetadata().getAnnotations()::remove);
            kube(
                    () -> client.secrets()
                            .inNamespace(t.namespace())
                            .resource(s)
                            .update(),
                    "record the rotation state on " + t.describe());
        }

        private <T> T kube(Supplier<T> call, String action) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                throw KubeFailures.translate(e, action, clusterName, redactor);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        return status instanceof Map ? (Map<String, Object>) status : Map.of();
    }

    private static String readyStatus(Map<String, Object> status) {
        return readyCondition(status).map(c -> String.valueOf(c.get("status"))).orElse(null);
    }

    private static String readyMessage(Map<String, Object> status) {
        return readyCondition(status).map(c -> String.valueOf(c.get("message"))).orElse("");
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> readyCondition(Map<String, Object> status) {
        Object conditions = status.get("conditions");
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
                    return Optional.of((Map<String, Object>) m);
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> data(Secret s) {
        Map<String, String> out = new HashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, decode(v)));
        }
        return out;
    }

    private static String decode(String base64) {
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static void put(Map<String, String> data, String key, String value) {
        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteOperationException("Interrupted while rotating.", null);
        }
    }

    private static IamCredentials counting(IamCredentials delegate, AtomicInteger calls) {
        return new IamCredentials() {
            @Override
            public List<IamCredential> list(String user, CredentialKind kind) {
                List<IamCredential> out = delegate.list(user, kind);
                // ListAccessKeys plus one GetAccessKeyLastUsed per key.
                calls.addAndGet(1 + (kind == CredentialKind.ACCESS_KEY ? out.size() : 0));
                return out;
            }

            @Override
            public NewCredential create(String user, CredentialKind kind) {
                calls.incrementAndGet();
                return delegate.create(user, kind);
            }

            @Override
            public NewCredential reset(String user, CredentialKind kind, String id) {
                calls.incrementAndGet();
                return delegate.reset(user, kind, id);
            }

            @Override
            public void setActive(String user, CredentialKind kind, String id, boolean active) {
                calls.incrementAndGet();
                delegate.setActive(user, kind, id, active);
            }

            @Override
            public void delete(String user, CredentialKind kind, String id) {
                calls.incrementAndGet();
                delegate.delete(user, kind, id);
            }
        };
    }
}
