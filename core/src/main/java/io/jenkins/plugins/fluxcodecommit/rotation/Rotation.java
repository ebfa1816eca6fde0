package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Replaces the CodeCommit credential a cluster uses, with never a moment without a working one:
 * inspect, make room (only by removing a credential nothing uses), create, verify, write every
 * target, confirm that the consumers work with it, then retire the old one. Clusters that share an
 * IAM user are rotated together: one new credential, written to every one, before the old retires.
 *
 * <p>The phase is recorded on the first target's secret under a renewed lease ({@link RotationState}),
 * so a rerun after a crash resumes and never creates a third credential; a failure rolls back.
 */
public final class Rotation {
    static final String PREFIX = RotationState.PREFIX;
    /** The rotation phase annotation on the first target's secret; {@code done} or absent when none is under way. */
    public static final String PHASE = RotationState.PHASE;

    static final String PENDING = RotationState.PENDING;
    static final String PREVIOUS = RotationState.PREVIOUS;
    static final String STARTED = RotationState.STARTED;
    static final String ROTATED = RotationState.ROTATED;
    static final String CURRENT = RotationState.CURRENT;
    static final String EXISTING = RotationState.EXISTING;
    static final String LOCK = RotationState.LOCK;
    /** A dead run's lease lapses this long after its last renewal; a live run renews it every third of it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(30);

    private final List<RotationRequest> requests;
    private final Map<String, String> environment;
    private final Clock clock;
    private final UnaryOperator<IamCredentials> iamDecorator;
    private final Duration leaseTtl;
    private final RotationCalls calls;

    public Rotation(RotationRequest request, Map<String, String> environment, Clock clock) {
        this(request, environment, clock, UnaryOperator.identity());
    }

    /** With a decorator around IAM: tests use it to inject faults. */
    public Rotation(
            RotationRequest request,
            Map<String, String> environment,
            Clock clock,
            UnaryOperator<IamCredentials> iamDecorator) {
        this(List.of(request), environment, clock, iamDecorator, LEASE_TTL, RotationCalls.DIRECT);
    }

    private Rotation(
            List<RotationRequest> requests,
            Map<String, String> environment,
            Clock clock,
            UnaryOperator<IamCredentials> iamDecorator,
            Duration leaseTtl,
            RotationCalls calls) {
        this.requests = List.copyOf(requests);
        this.environment = Map.copyOf(environment);
        this.clock = clock;
        this.iamDecorator = iamDecorator;
        this.leaseTtl = leaseTtl;
        this.calls = calls;
    }

    /** The clusters of one IAM user, rotated together: every request names the same user and kind. */
    public static Rotation shared(
            List<RotationRequest> requests,
            Map<String, String> environment,
            Clock clock,
            UnaryOperator<IamCredentials> iamDecorator) {
        return new Rotation(requests, environment, clock, iamDecorator, LEASE_TTL, RotationCalls.DIRECT);
    }

    /** The same rotation with another lease duration: tests use a short one. */
    Rotation withLeaseTtl(Duration ttl) {
        return new Rotation(requests, environment, clock, iamDecorator, ttl, calls);
    }

    /** The same rotation with every call passing {@code around}: the fault tests' seam. */
    Rotation withCalls(RotationCalls around) {
        return new Rotation(requests, environment, clock, iamDecorator, leaseTtl, around);
    }

    public RotationResult call(ProgressListener listener, CredentialSink sink) {
        return callAll(r -> listener, r -> sink).get(0);
    }

    /** Rotates every cluster of the user; one result per request, in order. */
    public List<RotationResult> callAll(
            Function<RotationRequest, ProgressListener> listeners, Function<RotationRequest, CredentialSink> sinks) {
        Instant started = clock.instant();
        for (RotationRequest r : requests) {
            r.validate();
            KubeConnection.check(r.cluster(), environment);
        }
        RotationRequest first = requests.get(0);
        agree(first);
        Redactor redactor = new Redactor();
        AwsIdentity identity = first.identity() != null ? first.identity() : DefaultChain.create();
        String region = first.region() == null ? "us-east-1" : first.region();
        AtomicInteger iamCalls = new AtomicInteger();
        Deque<AutoCloseable> open = new ArrayDeque<>();
        try {
            AwsClients aws = new AwsClients(first.aws(), redactor, environment);
            open.push(aws);
            IamCredentials iam = new CountingIam(
                    iamDecorator.apply(new SdkIamCredentials(
                            aws.iam(aws.credentials(identity, region), region), redactor, identity.describe())),
                    iamCalls,
                    calls);
            List<ClusterPart> parts = new ArrayList<>();
            for (RotationRequest r : requests) {
                AwsClients partAws = r == first ? aws : new AwsClients(r.aws(), redactor, environment);
                if (r != first) {
                    open.push(partAws);
                }
                KubeConnection kube = KubeConnection.open(
                        r.cluster(),
                        partAws,
                        r.identity() != null ? r.identity() : identity,
                        environment,
                        redactor,
                        clock,
                        Duration.ofSeconds(30));
                open.push(kube);
                ProgressListener log = ProgressListener.redacting(listeners.apply(r), redactor);
                RotationContext ctx = new RotationContext(r, environment, clock, log, redactor, partAws, iam, calls);
                parts.add(new ClusterPart(
                        ctx,
                        new ClusterObjects(kube.client(), kube.describe(), redactor, calls),
                        sinks.apply(r),
                        leaseTtl));
            }
            RotationProtocol protocol = new RotationProtocol(parts);
            RotationResult.Outcome outcome = run(protocol, parts, first, iam);
            List<RotationResult> results = new ArrayList<>();
            for (RotationRequest r : requests) {
                results.add(new RotationResult(
                        r.name(),
                        r.kind(),
                        protocol.oldId,
                        protocol.newId,
                        outcome,
                        protocol.message,
                        Duration.between(started, clock.instant()),
                        iamCalls.get()));
            }
            return results;
        } finally {
            close(open);
        }
    }

    private static RotationResult.Outcome run(
            RotationProtocol protocol, List<ClusterPart> parts, RotationRequest first, IamCredentials iam) {
        if (first.dryRun()) {
            return protocol.run();
        }
        // Everything is read before the first write, the lease included: a wrong name changes nothing.
        parts.forEach(ClusterPart::preflight);
        iam.list(first.user(), first.kind());
        try {
            for (ClusterPart part : parts) {
                part.state.acquire(part.name());
            }
            return protocol.run();
        } finally {
            parts.forEach(ClusterPart::close);
        }
    }

    /** Clusters rotated together must want the same: one credential, one policy. */
    private void agree(RotationRequest first) {
        for (RotationRequest r : requests) {
            boolean same = Objects.equals(r.user(), first.user())
                    && r.kind() == first.kind()
                    && Objects.equals(r.maxAge(), first.maxAge())
                    && r.force() == first.force()
                    && r.dryRun() == first.dryRun()
                    && Objects.equals(r.deleteAfter(), first.deleteAfter())
                    && Objects.equals(r.deactivateAfter(), first.deactivateAfter());
            if (!same) {
                throw new InvalidInputException(
                        "Clusters '" + first.name() + "' and '" + r.name() + "' share IAM user " + first.user()
                                + " but ask for different rotations (kind, maximum age, force, dry run or grace"
                                + " periods).",
                        "Give clusters that share an IAM user the same settings: they get one new credential"
                                + " together.");
            }
        }
    }

    private static void close(Deque<AutoCloseable> open) {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                // Closing clients only frees resources; the rotation's outcome stands.
            }
        }
    }
}
