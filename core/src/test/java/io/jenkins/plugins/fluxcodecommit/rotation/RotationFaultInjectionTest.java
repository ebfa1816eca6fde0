package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * A fault at every step of the protocol: an exception from each IAM call (moto cannot fail on
 * cue, so a decorator throws, before or after the real call), and a kill of the process after each
 * step. After each fault the cluster still holds a working credential, and a rerun converges to
 * exactly one active key, the one in use, with no orphan.
 */
class RotationFaultInjectionTest extends RotationFixture {
    /** Stands for the process being killed: nothing catches an Error, so no rollback runs. */
    static final class Killed extends Error {
        Killed(String at) {
            super("killed after: " + at);
        }
    }

    enum Op {
        LIST,
        CREATE,
        SET_ACTIVE,
        DELETE
    }

    static Stream<Arguments> faults() {
        Stream<Arguments> iam = Stream.of(Op.values())
                .flatMap(op -> Stream.of(
                        Arguments.of("IAM " + op + " fails before the call", op, false, null),
                        Arguments.of("IAM " + op + " fails after the call succeeded (lost answer)", op, true, null)));
        Stream<Arguments> kills = Stream.of("Created ", "Verified ", "Wrote ", "Deactivated ", "Deleted ")
                .map(step -> Arguments.of("killed after '" + step.strip() + "'", null, false, step));
        return Stream.concat(iam, kills);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void afterTheFaultTheClusterWorksAndARerunConverges(String name, Op op, boolean after, String killAfter) {
        AccessKeyCluster c = accessKeyCluster();
        AtomicBoolean fired = new AtomicBoolean();
        UnaryOperator<IamCredentials> faulty = iam -> op == null ? iam : new Faulty(iam, op, after, fired);
        ProgressListener killing = message -> {
            log.add(message);
            if (killAfter != null && message.startsWith(killAfter) && fired.compareAndSet(false, true)) {
                throw new Killed(message);
            }
        };
        RotationRequest request = accessKeyRequest(c, true, null, false, Duration.ZERO);
        Throwable fault = catchThrowable(
                () -> new Rotation(request, Map.of(), Clock.systemUTC(), faulty).call(killing, CredentialSink.none()));
        assertThat(fired).as("the fault was injected").isTrue();
        assertThat(fault).as("the fault surfaced").isNotNull();

        secretWorks(c);

        RotationResult rerun = rotate(accessKeyRequest(c, false, Duration.ofDays(365), false, Duration.ZERO));
        assertThat(rerun.outcome()).isIn(RotationResult.Outcome.ROTATED, RotationResult.Outcome.NOT_DUE);
        secretWorks(c);
        String held = secretData(c.namespace(), "codecommit").get("AWS_ACCESS_KEY_ID");
        List<AccessKeyMetadata> keys = keys(c.user());
        assertThat(keys)
                .filteredOn(k -> k.status() == StatusType.ACTIVE)
                .extracting(AccessKeyMetadata::accessKeyId)
                .as("exactly one active key, the one in use")
                .containsExactly(held);
        assertThat(keys)
                .as("no orphan: at most the key in use and an inactive predecessor")
                .hasSizeLessThanOrEqualTo(2);
        Map<String, String> state = k8s().secrets()
                .inNamespace(c.namespace())
                .withName("codecommit")
                .get()
                .getMetadata()
                .getAnnotations();
        assertThat(state == null ? null : state.get(Rotation.PHASE))
                .as("no rotation left half-way")
                .isIn(null, "done");
    }

    /**
     * IAM refuses to create the credential (the caller lacks iam:CreateAccessKey): IAM answered, so
     * nothing was created, and the state annotations are as they were, not left at "creating".
     */
    @Test
    void aCreateRefusedByIamLeavesNoRotationStateBehind() {
        AccessKeyCluster c = accessKeyCluster();
        UnaryOperator<IamCredentials> denying = iam -> new ForwardingIam(iam) {
            @Override
            public NewCredential create(String user, CredentialKind kind) {
                throw new AccessDeniedException(
                        "iam:CreateAccessKey on user " + user + " was denied to access key AKIAADMINADMINADMIN1:"
                                + " IAM answered HTTP 403",
                        "Allow iam:CreateAccessKey");
            }
        };
        Map<String, String> before = annotations(c);
        RotationRequest request = accessKeyRequest(c, true, null, false, Duration.ZERO);
        Throwable fault = catchThrowable(() ->
                new Rotation(request, Map.of(), Clock.systemUTC(), denying).call(log::add, CredentialSink.none()));
        assertThat(fault).isInstanceOf(AccessDeniedException.class);
        assertThat(annotations(c)).as("the state annotations as they were").isEqualTo(before);
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
        secretWorks(c);
    }

    private static Map<String, String> annotations(AccessKeyCluster c) {
        var a = k8s().secrets()
                .inNamespace(c.namespace())
                .withName("codecommit")
                .get()
                .getMetadata()
                .getAnnotations();
        return a == null ? Map.of() : Map.copyOf(a);
    }

    /**
     * Kubernetes refuses the write of one rotation phase: a ValidatingAdmissionPolicy of the real
     * API server denies updates of the cluster's secret that record that phase (or, for
     * "written", that put the new key in place). Then the policy goes and a rerun must converge.
     */
    @ParameterizedTest(name = "Kubernetes refuses the write that records phase {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"creating", "created", "written", "deactivated", "done"})
    void aRefusedKubernetesWriteLeavesAWorkingCredentialAndARerunConverges(String phase) throws Exception {
        AccessKeyCluster c = accessKeyCluster();
        String policy = "deny-" + c.namespace();
        String yaml = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: %1$s
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - apiGroups: [""]
                      apiVersions: ["v1"]
                      operations: ["UPDATE"]
                      resources: ["secrets"]
                  matchConditions:
                  - name: this-cluster
                    expression: "request.namespace == '%2$s'"
                  validations:
                  - expression: "!has(object.metadata.annotations) || !('%3$s' in object.metadata.annotations) || object.metadata.annotations['%3$s'] != '%4$s'"
                    message: "injected fault: phase %4$s"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: %1$s
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                """.formatted(policy, c.namespace(), Rotation.PHASE, phase);
        var objects =
                k8s().load(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        objects.create();
        awaitPolicy(c, phase);
        try {
            Throwable fault = catchThrowable(() -> rotate(accessKeyRequest(c, true, null, false, Duration.ZERO)));
            assertThat(fault).as("the refused write surfaced").isNotNull().hasMessageContaining("injected fault");
            secretWorks(c);
        } finally {
            objects.delete();
        }
        awaitNoPolicy(c);
        RotationResult rerun = rotate(accessKeyRequest(c, false, Duration.ofDays(365), false, Duration.ZERO));
        assertThat(rerun.outcome()).isIn(RotationResult.Outcome.ROTATED, RotationResult.Outcome.NOT_DUE);
        secretWorks(c);
        String held = secretData(c.namespace(), "codecommit").get("AWS_ACCESS_KEY_ID");
        assertThat(keys(c.user()))
                .filteredOn(k -> k.status() == StatusType.ACTIVE)
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(held);
        assertThat(keys(c.user())).hasSizeLessThanOrEqualTo(2);
    }

    /** Admission policies take effect asynchronously: probe with a dry-run update until it is refused. */
    private static void awaitPolicy(AccessKeyCluster c, String phase) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var s = k8s().secrets()
                    .inNamespace(c.namespace())
                    .withName("codecommit")
                    .get();
            s.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(Rotation.PHASE, phase)));
            try {
                k8s().secrets().inNamespace(c.namespace()).resource(s).dryRun().update();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the admission policy never took effect");
    }

    private static void awaitNoPolicy(AccessKeyCluster c) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            boolean allowed = true;
            for (String p : List.of("creating", "created", "written", "deactivated", "done")) {
                var s = k8s().secrets()
                        .inNamespace(c.namespace())
                        .withName("codecommit")
                        .get();
                var probe = new java.util.HashMap<String, String>(
                        s.getMetadata().getAnnotations() == null
                                ? Map.of()
                                : s.getMetadata().getAnnotations());
                probe.put(Rotation.PHASE, p);
                s.getMetadata().setAnnotations(probe);
                try {
                    k8s().secrets()
                            .inNamespace(c.namespace())
                            .resource(s)
                            .dryRun()
                            .update();
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    allowed = false;
                }
            }
            if (allowed) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the admission policy never went away");
    }

    /** Throws once, on the first call of one operation, before or after letting it through. */
    static final class Faulty implements IamCredentials {
        private final IamCredentials iam;
        private final Op op;
        private final boolean after;
        private final AtomicBoolean fired;

        Faulty(IamCredentials iam, Op op, boolean after, AtomicBoolean fired) {
            this.iam = iam;
            this.op = op;
            this.after = after;
            this.fired = fired;
        }

        private <T> T maybe(Op at, java.util.function.Supplier<T> call) {
            boolean now = at == op && fired.compareAndSet(false, true);
            if (now && !after) {
                throw new IllegalStateException("injected " + at + " failure");
            }
            T result = call.get();
            if (now) {
                throw new IllegalStateException("injected " + at + " failure after the call");
            }
            return result;
        }

        public List<IamCredential> list(String user, CredentialKind kind) {
            return maybe(Op.LIST, () -> iam.list(user, kind));
        }

        public NewCredential create(String user, CredentialKind kind) {
            return maybe(Op.CREATE, () -> iam.create(user, kind));
        }

        public void setActive(String user, CredentialKind kind, String id, boolean active) {
            maybe(Op.SET_ACTIVE, () -> {
                iam.setActive(user, kind, id, active);
                return null;
            });
        }

        public void delete(String user, CredentialKind kind, String id) {
            maybe(Op.DELETE, () -> {
                iam.delete(user, kind, id);
                return null;
            });
        }
    }
}
