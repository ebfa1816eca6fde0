package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every call a rotation makes that changes something (IAM, the cluster, Git) fails before it, fails
 * after it succeeded, or is where the process dies, in each kind of target, for one cluster and for
 * two sharing an IAM user. Before every such call of the faulty run and of the rerun, an oracle checks
 * that every consumer holds a credential IAM accepts; after the rerun exactly one credential is left,
 * the one every target holds.
 */
class RotationFaultMatrixTest extends RotationFixture {
    enum Fault {
        BEFORE,
        AFTER,
        KILL
    }

    /** A process killed at a call: nothing of the run goes on, no rollback, no clean-up of its own. */
    static final class Killed extends Error {
        Killed(String call) {
            super("killed at " + call);
        }
    }

    /** One way of holding a user's credential: how to make it, rotate it and check what consumers hold. */
    interface Scenario {
        String name();

        /** Makes the clusters; returns the requests, one per cluster. */
        List<RotationRequest> setUp();

        /** Every consumer holds a credential IAM accepts; a message saying which does not, or null. */
        String broken(List<RotationRequest> requests);

        /** The IDs the user has in IAM, and the ones the targets hold. */
        Set<String> inIam(List<RotationRequest> requests);

        Set<String> held(List<RotationRequest> requests);

        default AutoCloseable controllers(List<RotationRequest> requests) {
            return () -> {};
        }

        /**
         * The faults tried at each call. Where a case costs seconds (an RSA 4096 key per run, a Flux
         * bootstrap), failing before a call is left to RotationFaultInjectionTest, which covers it for
         * each step: a failure before a call rolls back as one after the previous call does.
         */
        default List<Fault> faults() {
            return List.of(Fault.values());
        }
    }

    /** Runs the rotation with every mutating call checked by the oracle, and one of them faulted. */
    private static final class Faults implements RotationCalls {
        private final int target;
        private final Fault fault;
        private final Supplier<String> oracle;
        final List<String> calls = new ArrayList<>();
        final List<String> broken = new ArrayList<>();
        private boolean fired;

        Faults(int target, Fault fault, Supplier<String> oracle) {
            this.target = target;
            this.fault = fault;
            this.oracle = oracle;
        }

        @Override
        public synchronized <T> T around(String call, boolean mutates, Supplier<T> body) {
            // Lease renewals come from their own thread, on their own clock: not part of the protocol's order.
            if (!mutates || call.startsWith("renew ") || fired) {
                return body.get();
            }
            String problem = oracle.get();
            if (problem != null) {
                broken.add("before " + call + ": " + problem);
            }
            int index = calls.size();
            calls.add(call);
            if (index != target) {
                return body.get();
            }
            fired = true;
            switch (fault) {
                case BEFORE -> throw new RemoteOperationException("Injected failure before " + call + ".", null);
                case KILL -> throw new Killed(call);
                default -> {
                    body.get();
                    throw new RemoteOperationException("Injected failure after " + call + " succeeded.", null);
                }
            }
        }
    }

    /** Short, so that a killed run's lease lapses quickly; the protocol's renewals keep a live one. */
    private static final Duration LEASE = Duration.ofSeconds(1);

    private List<RotationResult> rotate(List<RotationRequest> requests, RotationCalls calls) {
        return Rotation.shared(requests, Map.of(), Clock.systemUTC(), java.util.function.UnaryOperator.identity())
                .withLeaseTtl(LEASE)
                .withCalls(calls)
                .callAll(r -> log::add, r -> CredentialSink.none());
    }

    /** The next scheduled run: after a killed run (or a lost release) it finds the lease, which lapses. */
    private List<RotationResult> rerun(List<RotationRequest> requests, RotationCalls calls)
            throws InterruptedException {
        try {
            return rotate(requests, calls);
        } catch (RemoteOperationException e) {
            if (!e.getMessage().contains("Another rotation of")) {
                throw e;
            }
            Thread.sleep(LEASE.toMillis() + 500);
            return rotate(requests, calls);
        }
    }

    @TestFactory
    Stream<DynamicContainer> everyChangingCallFailedOrKilled() {
        List<Scenario> scenarios = List.of(accessKeys(1), accessKeys(2), argoSshKeys(1), fluxSshKey());
        // -Dmatrix.only=TEXT runs the scenarios whose name contains it, to rerun one after a failure.
        String only = System.getProperty("matrix.only", "");
        return scenarios.stream().filter(s -> s.name().contains(only)).map(s -> {
            // A clean run counts the calls that change something.
            List<RotationRequest> probe = s.setUp();
            Faults counting = new Faults(-1, Fault.BEFORE, () -> s.broken(probe));
            try (AutoCloseable c = s.controllers(probe)) {
                rotate(probe, counting);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(counting.broken).as(s.name() + ": a clean run").isEmpty();
            List<String> calls = List.copyOf(counting.calls);
            return DynamicContainer.dynamicContainer(
                    s.name() + " (" + calls.size() + " calls)",
                    IntStream.range(0, calls.size())
                            .boxed()
                            .flatMap(i -> s.faults().stream()
                                    .map(f -> DynamicTest.dynamicTest(
                                            f + " " + i + ": " + calls.get(i), () -> faulted(s, i, f)))));
        });
    }

    private void faulted(Scenario s, int call, Fault fault) throws Exception {
        List<RotationRequest> requests = s.setUp();
        try (AutoCloseable c = s.controllers(requests)) {
            Faults faults = new Faults(call, fault, () -> s.broken(requests));
            try {
                rotate(requests, faults);
            } catch (RuntimeException | Killed expected) {
                // The injected failure, or the rotation's own error about it.
            }
            assertThat(faults.broken).as("while the faulty run ran").isEmpty();
            Faults oracleOnly = new Faults(-1, Fault.BEFORE, () -> s.broken(requests));
            List<RotationResult> rerun = rerun(requests, oracleOnly);
            assertThat(oracleOnly.broken).as("while the rerun ran").isEmpty();
            assertThat(rerun).extracting(RotationResult::outcome).containsOnly(RotationResult.Outcome.ROTATED);
        }
        assertThat(s.broken(requests)).as("after the rerun").isNull();
        Set<String> held = s.held(requests);
        assertThat(held).as("every target holds one credential").hasSize(1);
        assertThat(s.inIam(requests))
                .as("and IAM has only it: no orphan, no third key")
                .isEqualTo(held);
    }

    // --- scenarios -----------------------------------------------------------------------------

    private static Scenario accessKeys(int clusters) {
        return new Scenario() {
            @Override
            public String name() {
                return "access key in a named secret, " + clusters + " cluster(s)";
            }

            @Override
            public List<RotationRequest> setUp() {
                String user = unique("matrix-user");
                AwsKeys key = MOTO.createUserWithKey(user);
                List<RotationRequest> out = new ArrayList<>();
                for (int i = 0; i < clusters; i++) {
                    String ns = unique("matrix");
                    Clusters.keySecret(k8s(), ns, key);
                    out.add(accessKeyRequest(new AccessKeyCluster(user, ns, key), true, null, false, Duration.ZERO));
                }
                return out;
            }

            @Override
            public String broken(List<RotationRequest> requests) {
                for (RotationRequest r : requests) {
                    Map<String, String> data = secretData(r.targets().get(0).namespace(), "codecommit");
                    AwsKeys held = AwsKeys.of(data.get("AWS_ACCESS_KEY_ID"), data.get("AWS_SECRET_ACCESS_KEY"));
                    try {
                        aws.callerIdentity(held, "us-east-1");
                    } catch (RuntimeException e) {
                        return r.name() + " holds " + held.accessKeyId() + ", which STS refuses";
                    }
                    boolean active = keys(r.user()).stream()
                            .anyMatch(k -> k.accessKeyId().equals(held.accessKeyId())
                                    && k.statusAsString().equals("Active"));
                    if (!active) {
                        return r.name() + " holds " + held.accessKeyId() + ", which IAM lists as not active";
                    }
                }
                return null;
            }

            @Override
            public Set<String> inIam(List<RotationRequest> requests) {
                return keys(requests.get(0).user()).stream()
                        .map(k -> k.accessKeyId())
                        .collect(Collectors.toSet());
            }

            @Override
            public Set<String> held(List<RotationRequest> requests) {
                return requests.stream()
                        .map(r -> secretData(r.targets().get(0).namespace(), "codecommit")
                                .get("AWS_ACCESS_KEY_ID"))
                        .collect(Collectors.toSet());
            }
        };
    }

    /** Two clusters sharing the user are tried with access keys; for SSH keys the run time is the limit. */
    private static Scenario argoSshKeys(int clusters) {
        return new Scenario() {
            @Override
            public String name() {
                return "SSH key in an Argo CD repository secret, " + clusters + " cluster(s)";
            }

            @Override
            public List<Fault> faults() {
                return List.of(Fault.AFTER, Fault.KILL);
            }

            @Override
            public List<RotationRequest> setUp() {
                ArgoSshRepository first = argoSshRepository();
                List<RotationRequest> out = new ArrayList<>(List.of(argoRequest(first, Duration.ZERO)));
                for (int i = 1; i < clusters; i++) {
                    String ns = unique("argocd");
                    Clusters.namespace(k8s(), ns);
                    var s = k8s().secrets()
                            .inNamespace(first.namespace())
                            .withName("repo-fleet")
                            .get();
                    k8s().secrets()
                            .inNamespace(ns)
                            .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                                    .withNewMetadata()
                                    .withName("repo-fleet")
                                    .withLabels(s.getMetadata().getLabels())
                                    .endMetadata()
                                    .withData(s.getData())
                                    .build())
                            .create();
                    out.add(argoRequest(
                            new ArgoSshRepository(first.user(), ns, first.repo(), first.keyId(), first.key()),
                            Duration.ZERO));
                }
                return out;
            }

            @Override
            public String broken(List<RotationRequest> requests) {
                for (RotationRequest r : requests) {
                    Map<String, String> data = secretData(r.targets().get(0).namespace(), "repo-fleet");
                    String id = CodeCommitUrl.parse(data.get("url")).user();
                    String problem = sshKeyProblem(r.user(), id, data.get("sshPrivateKey"));
                    if (problem != null) {
                        return r.name() + ": " + problem;
                    }
                }
                return null;
            }

            @Override
            public Set<String> inIam(List<RotationRequest> requests) {
                return sshKeyIds(requests.get(0).user());
            }

            @Override
            public Set<String> held(List<RotationRequest> requests) {
                return requests.stream()
                        .map(r -> CodeCommitUrl.parse(
                                        secretData(r.targets().get(0).namespace(), "repo-fleet")
                                                .get("url"))
                                .user())
                        .collect(Collectors.toSet());
            }
        };
    }

    private Scenario fluxSshKey() {
        RotationFaultMatrixTest test = this;
        return new Scenario() {
            private SshFluxCluster cluster;

            @Override
            public String name() {
                return "SSH key of a Flux source, 1 cluster";
            }

            @Override
            public List<Fault> faults() {
                return List.of(Fault.AFTER, Fault.KILL);
            }

            @Override
            public List<RotationRequest> setUp() {
                cluster = test.sshFluxCluster();
                RotationRequest r = test.sshRequest(cluster);
                return List.of(new RotationRequest(
                        r.name(),
                        r.kind(),
                        r.user(),
                        r.identity(),
                        r.region(),
                        r.cluster(),
                        r.targets(),
                        r.repositoryUrl(),
                        r.maxAge(),
                        r.force(),
                        r.dryRun(),
                        r.deleteAfter(),
                        Duration.ofSeconds(10),
                        r.pollInterval(),
                        r.aws(),
                        Duration.ZERO));
            }

            @Override
            public AutoCloseable controllers(List<RotationRequest> requests) {
                String ns = requests.get(0).targets().get(0).namespace();
                String repo = cluster.repo();
                return new FluxControllers(
                        k8s(), ns, "main", () -> head(repo), FluxControllers.Mode.FETCHES_WITH_SECRET);
            }

            /**
             * The source's secret and its URL are two objects written one after the other: each must
             * be a key IAM accepts (the pair agrees once the rotation ends), and so must gotk-sync.yaml's.
             */
            @Override
            public String broken(List<RotationRequest> requests) {
                RotationRequest r = requests.get(0);
                String ns = r.targets().get(0).namespace();
                Map<String, String> data = secretData(ns, "flux-system");
                Set<String> ids = sshKeyIds(r.user(), true);
                String urlId = CodeCommitUrl.parse(url(ns)).user();
                if (!ids.contains(urlId)) {
                    return "the GitRepository URL names " + urlId + ", which IAM does not accept";
                }
                if (sshKeyProblem(r.user(), null, data.get("identity")) != null) {
                    return "the source secret's identity is no active key of " + r.user();
                }
                String gitId = syncFileKeyId(ns);
                if (!ids.contains(gitId)) {
                    return "gotk-sync.yaml names " + gitId + ", which IAM does not accept";
                }
                return null;
            }

            private String syncFileKeyId(String ns) {
                try (var repo = SSH.open(cluster.repo())) {
                    String text = BootstrapFiles.read(repo, "clusters/prod/" + ns + "/gotk-sync.yaml");
                    int at = text.indexOf("url: ssh://") + "url: ssh://".length();
                    return text.substring(at, text.indexOf('@', at));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Set<String> inIam(List<RotationRequest> requests) {
                return sshKeyIds(requests.get(0).user());
            }

            @Override
            public Set<String> held(List<RotationRequest> requests) {
                String ns = requests.get(0).targets().get(0).namespace();
                Set<String> held = new java.util.HashSet<>();
                held.add(CodeCommitUrl.parse(url(ns)).user());
                held.add(syncFileKeyId(ns));
                held.add(idOf(
                        requests.get(0).user(), secretData(ns, "flux-system").get("identity")));
                return held;
            }
        };
    }

    private static String url(String ns) {
        return String.valueOf(ClusterObjects.spec(k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                        .inNamespace(ns)
                        .withName(ns)
                        .get())
                .get("url"));
    }

    private static Set<String> sshKeyIds(String user) {
        return sshKeyIds(user, false);
    }

    private static Set<String> sshKeyIds(String user, boolean activeOnly) {
        return admin.listSSHPublicKeys(b -> b.userName(user)).sshPublicKeys().stream()
                .filter(k -> !activeOnly || k.statusAsString().equals("Active"))
                .map(k -> k.sshPublicKeyId())
                .collect(Collectors.toSet());
    }

    /** The ID of the user's SSH key whose public half is this private key's, or null. */
    private static String idOf(String user, String pem) {
        String fingerprint =
                SshKeyPair.parse(Secret.of(pem), null).publicKeyOpenSsh().split(" ")[1];
        for (String id : sshKeyIds(user)) {
            String body = admin.getSSHPublicKey(
                            b -> b.userName(user).sshPublicKeyId(id).encoding("SSH"))
                    .sshPublicKey()
                    .sshPublicKeyBody();
            if (body.split(" ")[1].equals(fingerprint)) {
                return id;
            }
        }
        return null;
    }

    /** Why IAM would not accept this private key (under the key ID, when given), or null. */
    private static String sshKeyProblem(String user, String id, String pem) {
        String owner = idOf(user, pem);
        if (owner == null) {
            return "its private key is no key of " + user;
        }
        if (id != null && !id.equals(owner)) {
            return "its private key is " + owner + "'s, presented as " + id;
        }
        if (!sshKeyIds(user, true).contains(owner)) {
            return owner + " is not active";
        }
        return null;
    }
}
