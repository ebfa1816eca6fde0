package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a bootstrap finds in the repository and the cluster, and does with it: the IRSA role the
 * repository holds, operator credentials an earlier run left in the source secret, a secret of
 * another kind; and what a dry run reads and reports of it, changing nothing.
 */
class BootstrapExistingStateTest {
    private static final String REGION = "us-east-1";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final String ROLE = "arn:aws:iam::123456789012:role/flux-source";
    static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/flux-other";

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer(REGION);

    static final AwsKeys KEYS = AwsKeys.of("AKIAEXISTINGSTATE001", "existing-state-secret-access-key");
    static final String CANARY_TOKEN = "CANARY-SESSION-TOKEN-" + "x".repeat(40);
    static final AwsKeys SESSION =
            AwsKeys.of("ASIAEXISTINGSTATE001", "existing-state-session-secret-key", CANARY_TOKEN);
    static KubeConnection kube;
    static AwsClients aws;

    @TempDir
    Path tmp;

    final List<String> log = new CopyOnWriteArrayList<>();
    final ProgressListener listener = log::add;

    @BeforeAll
    static void setUp() {
        HTTPS.registerKey(KEYS, Permission.PULL, Permission.PUSH);
        HTTPS.registerKey(SESSION, Permission.PULL, Permission.PUSH);
        aws = new AwsClients(AwsSettings.defaults(), new Redactor(), Map.of());
        kube = KubeConnection.open(
                CLUSTER.target(), aws, null, Map.of(), new Redactor(), Clock.systemUTC(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void tearDown() {
        kube.close();
        aws.close();
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    static KubernetesClient k8s() {
        return kube.client();
    }

    BootstrapRequest.Builder https(String repo, String namespace) {
        return BootstrapRequest.builder(HTTPS.url(repo))
                .identity(KEYS)
                .region(REGION)
                .path("clusters/prod")
                .install(new InstallOptions(null, namespace, null, null, null, null, true, true, null, null, null))
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(CLUSTER.target())
                .pollInterval(Duration.ofMillis(100))
                .timeout(Duration.ofSeconds(30));
    }

    BootstrapResult run(BootstrapRequest request) {
        return new Bootstrap(request, Map.of(), Clock.systemUTC()).call(listener);
    }

    static String file(String repo, String path) throws IOException {
        try (Repository r = HTTPS.open(repo);
                RevWalk walk = new RevWalk(r)) {
            RevCommit head = walk.parseCommit(r.resolve("refs/heads/main"));
            try (TreeWalk tree = TreeWalk.forPath(r, path, head.getTree())) {
                return tree == null
                        ? null
                        : new String(r.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    static Map<String, String> refs(String repo) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Repository r = HTTPS.open(repo)) {
            for (Ref ref : r.getRefDatabase().getRefs()) {
                out.put(
                        ref.getName(),
                        ref.getObjectId() == null ? "" : ref.getObjectId().name());
            }
        }
        return out;
    }

    static Supplier<String> head(String repo) {
        return () -> {
            try (Repository r = HTTPS.open(repo)) {
                var id = r.resolve("refs/heads/main");
                return id == null ? "none" : id.name();
            } catch (IOException e) {
                return "none";
            }
        };
    }

    static String roleOnServiceAccount(String ns) {
        var sa = k8s().serviceAccounts()
                .inNamespace(ns)
                .withName("source-controller")
                .get();
        return sa.getMetadata().getAnnotations() == null
                ? null
                : sa.getMetadata().getAnnotations().get(IrsaRole.ANNOTATION);
    }

    /** Every object of the kinds a bootstrap touches, by id, with its resourceVersion. */
    static Map<String, String> clusterState(String ns) {
        Map<String, String> out = new TreeMap<>();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(k8s().namespaces().list().getItems());
        all.addAll(k8s().apiextensions().v1().customResourceDefinitions().list().getItems());
        all.addAll(k8s().rbac().clusterRoles().list().getItems());
        all.addAll(k8s().rbac().clusterRoleBindings().list().getItems());
        all.addAll(k8s().secrets().inAnyNamespace().list().getItems());
        all.addAll(k8s().configMaps().inAnyNamespace().list().getItems());
        all.addAll(k8s().serviceAccounts().inAnyNamespace().list().getItems());
        all.addAll(k8s().services().inAnyNamespace().list().getItems());
        all.addAll(k8s().apps().deployments().inAnyNamespace().list().getItems());
        all.addAll(k8s().network().networkPolicies().inAnyNamespace().list().getItems());
        all.addAll(k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(ns)
                .list()
                .getItems());
        all.addAll(k8s().genericKubernetesResources(FluxCluster.KUSTOMIZATION)
                .inNamespace(ns)
                .list()
                .getItems());
        for (HasMetadata o : all) {
            out.put(
                    o.getKind() + "/" + o.getMetadata().getNamespace() + "/"
                            + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion());
        }
        return out;
    }

    /** Everything the cluster holds that a bootstrap writes, as text, secrets decoded. */
    static String everythingInTheCluster() throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder out = new StringBuilder();
        for (var s : k8s().secrets().inAnyNamespace().list().getItems()) {
            out.append(json.writeValueAsString(s));
            if (s.getData() != null) {
                s.getData()
                        .values()
                        .forEach(v -> out.append(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
        }
        for (var c : k8s().configMaps().inAnyNamespace().list().getItems()) {
            out.append(json.writeValueAsString(c));
        }
        for (var type : List.of(FluxCluster.GIT_REPOSITORY, FluxCluster.KUSTOMIZATION)) {
            for (GenericKubernetesResource r : k8s().genericKubernetesResources(type)
                    .inAnyNamespace()
                    .list()
                    .getItems()) {
                out.append(json.writeValueAsString(r));
            }
        }
        for (var d : k8s().apps().deployments().inAnyNamespace().list().getItems()) {
            out.append(json.writeValueAsString(d));
        }
        return out.toString();
    }

    static void putSecret(String ns, String type, Map<String, String> data) {
        if (k8s().namespaces().withName(ns).get() == null) {
            k8s().namespaces()
                    .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
        }
        Map<String, String> encoded = new TreeMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        k8s().secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("flux-system")
                        .withNamespace(ns)
                        .endMetadata()
                        .withType(type)
                        .withData(encoded)
                        .build())
                .create();
    }

    static Map<String, Object> gitRepositorySpec(String ns) {
        GenericKubernetesResource source = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(ns)
                .withName(ns)
                .get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) source.getAdditionalProperties().get("spec");
        return spec;
    }

    // --- The IRSA role: the repository's kustomization.yaml is the one source of truth.

    @Test
    void aRerunWithoutTheRoleKeepsTheRoleGitHoldsOnTheServiceAccount() throws IOException {
        String repo = unique("irsa-keep");
        String ns = unique("flux-irsa-keep");
        HTTPS.createRepository(repo);
        // No controllers: Flux never syncs, so the rerun installs the components again.
        run(https(repo, ns).sourceControllerRoleArn(ROLE).waitForHealth(false).build());
        assertThat(roleOnServiceAccount(ns)).isEqualTo(ROLE);

        log.clear();
        run(https(repo, ns).waitForHealth(false).build());

        assertThat(roleOnServiceAccount(ns)).isEqualTo(ROLE);
        assertThat(file(repo, "clusters/prod/" + ns + "/kustomization.yaml")).contains("role-arn: " + ROLE);
        assertThat(log).anyMatch(m -> m.contains("keeps the IRSA role " + ROLE) && m.contains("source of truth"));
    }

    @Test
    void aRerunWithAnotherRoleThanGitsIsRefusedBeforeAnyChange() throws IOException {
        String repo = unique("irsa-other");
        String ns = unique("flux-irsa-other");
        HTTPS.createRepository(repo);
        run(https(repo, ns).sourceControllerRoleArn(ROLE).waitForHealth(false).build());
        Map<String, String> refs = refs(repo);
        Map<String, String> state = clusterState(ns);

        assertThatThrownBy(() -> run(https(repo, ns)
                        .sourceControllerRoleArn(OTHER_ROLE)
                        .waitForHealth(false)
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("gives source-controller the IRSA role " + ROLE + ", not " + OTHER_ROLE)
                .satisfies(e -> assertThat(((InvalidInputException) e).fix()).contains("force"));
        assertThat(refs(repo)).isEqualTo(refs);
        assertThat(clusterState(ns)).isEqualTo(state);
    }

    @Test
    void anotherRoleWithForceChangesGitAndTheClusterTogether() throws IOException {
        String repo = unique("irsa-force");
        String ns = unique("flux-irsa-force");
        HTTPS.createRepository(repo);
        run(https(repo, ns).sourceControllerRoleArn(ROLE).waitForHealth(false).build());

        run(https(repo, ns)
                .sourceControllerRoleArn(OTHER_ROLE)
                .force(true)
                .waitForHealth(false)
                .build());

        String kustomization = file(repo, "clusters/prod/" + ns + "/kustomization.yaml");
        assertThat(kustomization).contains("role-arn: " + OTHER_ROLE).doesNotContain(ROLE);
        assertThat(roleOnServiceAccount(ns)).isEqualTo(OTHER_ROLE);
    }

    @Test
    void aRoleForARepositoryWhoseKustomizationHasNoPatchIsWrittenToIt() throws IOException {
        String repo = unique("irsa-add");
        String ns = unique("flux-irsa-add");
        HTTPS.createRepository(repo);
        run(https(repo, ns).waitForHealth(false).build());
        assertThat(file(repo, "clusters/prod/" + ns + "/kustomization.yaml")).doesNotContain("role-arn");

        run(https(repo, ns).sourceControllerRoleArn(ROLE).waitForHealth(false).build());

        String kustomization = file(repo, "clusters/prod/" + ns + "/kustomization.yaml");
        assertThat(IrsaRole.rolesIn(kustomization, "kustomization.yaml", p -> null))
                .containsExactly(ROLE);
        assertThat(kustomization).contains("- gotk-components.yaml\n- gotk-sync.yaml\n");
        assertThat(roleOnServiceAccount(ns)).isEqualTo(ROLE);
    }

    // --- No operator credential in the cluster with provider: aws.

    @Test
    void httpsWithTemporaryIamCredentialsStoresNoOperatorCredentialInTheCluster() throws IOException {
        String repo = unique("no-operator-credential");
        String ns = unique("flux-no-cred");
        HTTPS.createRepository(repo);
        int before = HTTPS.receivedSecrets().size();
        try (var controllers = new FluxControllers(k8s(), ns, "main", head(repo), FluxControllers.Mode.HEALTHY)) {
            BootstrapResult result = run(https(repo, ns).identity(SESSION).build());
            assertThat(result.healthy()).isTrue();
            assertThat(result.secret()).startsWith("none (provider: aws");
        }
        List<String> sent =
                HTTPS.receivedSecrets().subList(before, HTTPS.receivedSecrets().size());
        assertThat(sent).as("the canary reached the Git server").anyMatch(s -> s.contains(CANARY_TOKEN));
        String cluster = everythingInTheCluster();
        assertThat(cluster).doesNotContain(CANARY_TOKEN).doesNotContain(SESSION.accessKeyId());
        for (String secret : sent) {
            assertThat(cluster).doesNotContain(secret);
        }
        assertThat(cluster).doesNotContainPattern("\\d{8}T\\d{6}Z[0-9a-f]{64}");
        assertThat(k8s().secrets().inNamespace(ns).withName("flux-system").get())
                .isNull();
        assertThat(gitRepositorySpec(ns)).containsEntry("provider", "aws").doesNotContainKey("secretRef");
        assertThat(file(repo, "clusters/prod/" + ns + "/gotk-sync.yaml")).doesNotContain("secretRef");
    }

    @Test
    void aRerunRemovesTemporaryOperatorCredentialsAndKeepsWhatElseTheSecretHolds() throws IOException {
        String repo = unique("stale-credential");
        String ns = unique("flux-stale");
        HTTPS.createRepository(repo);
        putSecret(
                ns,
                "Opaque",
                Map.of(
                        "username", SESSION.accessKeyId() + "%" + CANARY_TOKEN,
                        "password", "20260101T000000Z" + "ab".repeat(32),
                        "ca.crt", "corporate CA"));
        try (var controllers = new FluxControllers(k8s(), ns, "main", head(repo), FluxControllers.Mode.HEALTHY)) {
            BootstrapResult result = run(https(repo, ns).build());
            assertThat(result.secret()).startsWith("updated (temporary operator credentials removed");
        }
        var secret = k8s().secrets().inNamespace(ns).withName("flux-system").get();
        assertThat(secret.getData()).containsOnlyKeys("ca.crt");
        assertThat(everythingInTheCluster()).doesNotContain(CANARY_TOKEN);
        // What remains is still read by source-controller, for its CA.
        assertThat(gitRepositorySpec(ns)).containsEntry("secretRef", Map.of("name", "flux-system"));
    }

    @Test
    void aRerunDeletesASecretThatHeldOnlyTemporaryOperatorCredentials() throws IOException {
        String repo = unique("stale-only");
        String ns = unique("flux-stale-only");
        HTTPS.createRepository(repo);
        putSecret(
                ns, "Opaque", Map.of("username", KEYS.accessKeyId(), "password", "20260101T000000Z" + "cd".repeat(32)));
        BootstrapResult result = run(https(repo, ns).waitForHealth(false).build());
        assertThat(result.secret()).startsWith("deleted (temporary operator credentials removed");
        assertThat(k8s().secrets().inNamespace(ns).withName("flux-system").get())
                .isNull();
        assertThat(gitRepositorySpec(ns)).doesNotContainKey("secretRef");
    }

    @Test
    void anExistingSecretOfAnotherTypeIsRefusedBeforeAnyChange() throws IOException {
        String repo = unique("foreign-secret");
        String ns = unique("flux-foreign");
        HTTPS.createRepository(repo);
        putSecret(ns, "kubernetes.io/basic-auth", Map.of("username", "admin", "password", "not-flux"));
        Map<String, String> state = clusterState(ns);
        assertThatThrownBy(() -> run(https(repo, ns).waitForHealth(false).build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Secret " + ns + "/flux-system exists with type kubernetes.io/basic-auth")
                .satisfies(e -> assertThat(((InvalidInputException) e).fix()).contains("another secret name"));
        assertThat(clusterState(ns)).isEqualTo(state);
        try (Repository r = HTTPS.open(repo)) {
            assertThat(r.resolve("refs/heads/main")).isNull();
        }
    }

    // --- Dry runs read the cluster and the repository, refuse what a real run would, change nothing.

    @Test
    void aDryRunRefusesAnotherPathAsARealRunWouldAndChangesNothing() throws IOException {
        String repo = unique("dry-path");
        String ns = unique("flux-dry-path");
        HTTPS.createRepository(repo);
        try (var controllers = new FluxControllers(k8s(), ns, "main", head(repo), FluxControllers.Mode.HEALTHY)) {
            run(https(repo, ns).build());
        }
        Map<String, String> refs = refs(repo);
        Map<String, String> state = clusterState(ns);

        assertThatThrownBy(() -> run(https(repo, ns)
                        .path("clusters/other")
                        .dryRun(true)
                        .exportDirectory(tmp.resolve("out").toString())
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("syncs path ./clusters/prod, not ./clusters/other");

        assertThat(refs(repo)).isEqualTo(refs);
        assertThat(clusterState(ns)).isEqualTo(state);
    }

    @Test
    void aDryRunRefusesAnotherRoleThanGitsAsARealRunWould() throws IOException {
        String repo = unique("dry-role");
        String ns = unique("flux-dry-role");
        HTTPS.createRepository(repo);
        run(https(repo, ns).sourceControllerRoleArn(ROLE).waitForHealth(false).build());
        Map<String, String> refs = refs(repo);
        Map<String, String> state = clusterState(ns);

        assertThatThrownBy(() -> run(https(repo, ns)
                        .sourceControllerRoleArn(OTHER_ROLE)
                        .dryRun(true)
                        .exportDirectory(tmp.resolve("out").toString())
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not " + OTHER_ROLE);

        assertThat(refs(repo)).isEqualTo(refs);
        assertThat(clusterState(ns)).isEqualTo(state);
    }

    @Test
    void aDryRunAgainstABootstrappedClusterReportsWhatItFoundAndChangesNothing() throws IOException {
        String repo = unique("dry-rerun");
        String ns = unique("flux-dry-rerun");
        HTTPS.createRepository(repo);
        try (var controllers = new FluxControllers(k8s(), ns, "main", head(repo), FluxControllers.Mode.HEALTHY)) {
            run(https(repo, ns).sourceControllerRoleArn(ROLE).build());
        }
        putStaleCredentials(ns);
        Map<String, String> refs = refs(repo);
        Map<String, String> state = clusterState(ns);
        log.clear();

        BootstrapResult result = run(https(repo, ns)
                .dryRun(true)
                .exportDirectory(tmp.resolve("out").toString())
                .build());

        assertThat(result.exportMode()).isTrue();
        assertThat(result.secret()).startsWith("would delete (temporary operator credentials");
        assertThat(log)
                .contains("Dry run: clusters/prod/" + ns + "/gotk-components.yaml is up to date on branch main")
                .anyMatch(m -> m.contains("keeps the IRSA role " + ROLE));
        assertThat(Files.readString(tmp.resolve("out/clusters/prod/" + ns + "/kustomization.yaml")))
                .contains("role-arn: " + ROLE);
        assertThat(refs(repo)).isEqualTo(refs);
        assertThat(clusterState(ns)).isEqualTo(state);
    }

    private static void putStaleCredentials(String ns) {
        putSecret(
                ns, "Opaque", Map.of("username", KEYS.accessKeyId(), "password", "20260101T000000Z" + "ef".repeat(32)));
    }
}
