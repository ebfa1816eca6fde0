package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
 * Bootstrap end to end: the CodeCommit-faithful Git servers, a real kube-apiserver (server-side
 * apply), and the Flux controllers played by {@link FluxControllers}.
 */
class BootstrapTest {
    private static final String REGION = "us-east-1";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer(REGION);

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    static final AwsKeys KEYS = AwsKeys.of("AKIABOOTSTRAP0000001", "bootstrap-secret-access-key-value");
    static final Secret PASSPHRASE = Secret.of("bootstrap passphrase");
    static SshKeyPair sshKey;
    static String sshKeyId = "APKABOOTSTRAP0000001";
    static KubeConnection kube;
    static AwsClients aws;

    @TempDir
    Path tmp;

    final List<String> log = new CopyOnWriteArrayList<>();
    final ProgressListener listener = log::add;

    @BeforeAll
    static void setUp() {
        HTTPS.registerKey(KEYS, Permission.PULL, Permission.PUSH);
        sshKey = SshKeyPair.generateRsa(2048);
        SSH.registerKey(sshKeyId, sshKey.publicKey());
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

    BootstrapRequest.Builder ssh(String repo, String namespace, SshKeyPair key, String keyId) {
        String url = CodeCommitUrl.parse(SSH.url(keyId, repo)).gitUrl();
        return BootstrapRequest.builder(url)
                .sshKey(key.privateKeyPem(PASSPHRASE), PASSPHRASE)
                .path("clusters/staging")
                .install(new InstallOptions(null, namespace, null, null, null, null, true, true, null, null, null))
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(CLUSTER.target())
                .pollInterval(Duration.ofMillis(100))
                .timeout(Duration.ofSeconds(30));
    }

    BootstrapResult run(BootstrapRequest request) {
        return new Bootstrap(request, Map.of(), Clock.systemUTC()).call(listener);
    }

    static Supplier<String> headOf(Supplier<Repository> repo) {
        return () -> {
            try (Repository r = repo.get()) {
                var id = r.resolve("refs/heads/main");
                return id == null ? "none" : id.name();
            } catch (IOException e) {
                return "none";
            }
        };
    }

    static Supplier<Repository> httpsRepo(String name) {
        return () -> {
            try {
                return HTTPS.open(name);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    static Supplier<Repository> sshRepo(String name) {
        return () -> {
            try {
                return SSH.open(name);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    static String file(Repository repo, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, head.getTree())) {
                return tree == null
                        ? null
                        : new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    static List<String> messages(Repository repo) throws IOException {
        List<String> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(repo.resolve("refs/heads/main")));
            for (RevCommit c : walk) {
                out.add(0, c.getFullMessage());
            }
        }
        return out;
    }

    static Map<String, String> secret(String namespace, String name) {
        var s = k8s().secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> out = new java.util.TreeMap<>();
        s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void freshBootstrapOverHttpsWithIam() throws IOException {
        String repo = unique("https-fresh");
        String ns = unique("flux-https");
        HTTPS.createRepository(repo);
        BootstrapResult result;
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            result = run(https(repo, ns).build());
        }
        try (Repository r = HTTPS.open(repo)) {
            String head = r.resolve("refs/heads/main").name();
            assertThat(result.revision()).isEqualTo("main@sha1:" + head);
            assertThat(messages(r)).containsExactly("Add Flux v2.9.4 component manifests", "Add Flux sync manifests");
            assertThat(file(r, "clusters/prod/" + ns + "/gotk-components.yaml"))
                    .startsWith("---\n# This manifest was generated by flux.");
            String sync = file(r, "clusters/prod/" + ns + "/gotk-sync.yaml");
            assertThat(sync)
                    .contains("  provider: aws\n")
                    .contains("  url: " + HTTPS.url(repo) + "\n")
                    .contains("  path: ./clusters/prod\n");
            assertThat(file(r, "clusters/prod/" + ns + "/kustomization.yaml"))
                    .contains("- gotk-components.yaml\n- gotk-sync.yaml\n");
        }
        assertThat(result.healthy()).isTrue();
        assertThat(result.componentsInstalled()).isTrue();
        assertThat(result.commits()).hasSize(2);
        GenericKubernetesResource source = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(ns)
                .withName(ns)
                .get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) source.getAdditionalProperties().get("spec");
        assertThat(spec).containsEntry("provider", "aws").containsEntry("url", HTTPS.url(repo));
        // source-controller signs with its own IAM role: no operator credential is stored, none referenced.
        assertThat(spec).doesNotContainKey("secretRef");
        assertThat(k8s().secrets().inNamespace(ns).withName("flux-system").get())
                .isNull();
        assertThat(k8s().apps().deployments().inNamespace(ns).list().getItems())
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "source-controller", "kustomize-controller", "helm-controller", "notification-controller");
        assertThat(k8s().apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("gitrepositories.source.toolkit.fluxcd.io")
                        .get())
                .isNotNull();
    }

    @Test
    void freshBootstrapOverSshWritesTheSecretFluxExpects() throws IOException {
        String repo = SSH.createRepository(unique("ssh-fresh"));
        String ns = unique("flux-ssh");
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(sshRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            BootstrapResult result = run(ssh(repo, ns, sshKey, sshKeyId).build());
            assertThat(result.healthy()).isTrue();
        }
        Map<String, String> secret = secret(ns, "flux-system");
        assertThat(secret.keySet()).containsExactly("identity", "identity.pub", "known_hosts", "password");
        assertThat(SshKeyPair.parse(Secret.of(secret.get("identity")), PASSPHRASE)
                        .fingerprintSha256())
                .isEqualTo(sshKey.fingerprintSha256());
        assertThat(secret.get("identity"))
                .startsWith("-----BEGIN RSA PRIVATE KEY-----")
                .contains("Proc-Type: 4,ENCRYPTED");
        assertThat(secret.get("identity.pub").strip()).isEqualTo(sshKey.publicKeyOpenSsh());
        assertThat(secret.get("known_hosts").strip()).isEqualTo(SSH.knownHostsLine());
        assertThat(secret.get("password")).isEqualTo(PASSPHRASE.reveal());
        try (Repository r = SSH.open(repo)) {
            assertThat(file(r, "clusters/staging/" + ns + "/gotk-sync.yaml"))
                    .contains("  url: " + SSH.url(sshKeyId, repo) + "\n")
                    .doesNotContain("provider");
        }
    }

    @Test
    void rerunWithNothingNewChangesNothingAndSaysSo() throws IOException {
        String repo = SSH.createRepository(unique("ssh-noop"));
        String ns = unique("flux-noop");
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(sshRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            run(ssh(repo, ns, sshKey, sshKeyId).build());
            String headBefore;
            try (Repository r = SSH.open(repo)) {
                headBefore = r.resolve("refs/heads/main").name();
            }
            String secretVersion = k8s().secrets()
                    .inNamespace(ns)
                    .withName("flux-system")
                    .get()
                    .getMetadata()
                    .getResourceVersion();
            log.clear();
            BootstrapResult second = run(ssh(repo, ns, sshKey, sshKeyId).build());
            assertThat(second.noOp()).as(second.toString()).isTrue();
            assertThat(second.commits()).isEmpty();
            assertThat(second.componentsInstalled()).isFalse();
            assertThat(second.secret()).isEqualTo("unchanged");
            try (Repository r = SSH.open(repo)) {
                assertThat(r.resolve("refs/heads/main").name()).isEqualTo(headBefore);
            }
            assertThat(k8s().secrets()
                            .inNamespace(ns)
                            .withName("flux-system")
                            .get()
                            .getMetadata()
                            .getResourceVersion())
                    .isEqualTo(secretVersion);
            assertThat(log).contains("Component manifests are up to date");
        }
    }

    @Test
    void rerunWithANewSshKeyRegeneratesTheSecretAndCommitsTheNewKeyId() throws IOException {
        String repo = SSH.createRepository(unique("ssh-newkey"));
        String ns = unique("flux-newkey");
        SshKeyPair newKey = SshKeyPair.generateRsa(2048);
        String newKeyId = "APKANEWKEY" + String.format("%010d", SEQUENCE.incrementAndGet());
        SSH.registerKey(newKeyId, newKey.publicKey());
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(sshRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            run(ssh(repo, ns, sshKey, sshKeyId).build());
            BootstrapResult second = run(ssh(repo, ns, newKey, newKeyId).build());
            assertThat(second.secret()).isEqualTo("updated");
            assertThat(second.commits()).hasSize(1);
        }
        assertThat(SshKeyPair.parse(Secret.of(secret(ns, "flux-system").get("identity")), PASSPHRASE)
                        .fingerprintSha256())
                .isEqualTo(newKey.fingerprintSha256());
        GenericKubernetesResource source = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(ns)
                .withName(ns)
                .get();
        assertThat(source.getAdditionalProperties().get("spec").toString()).contains(newKeyId + "@");
    }

    @Test
    void aPushThatLosesARaceIsRedoneOnTheNewHead() throws IOException {
        String repo = unique("race");
        String ns = unique("flux-race");
        HTTPS.createRepository(repo);
        AtomicInteger interfered = new AtomicInteger();
        // Another writer pushes right after the bootstrap's clone: its first push must lose the race.
        ProgressListener racing = message -> {
            log.add(message);
            if (message.startsWith("Cloned ") && interfered.getAndIncrement() == 0) {
                pushForeignCommit(repo);
            }
        };
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            seed(repo);
            BootstrapResult result = new Bootstrap(https(repo, ns).build(), Map.of(), Clock.systemUTC()).call(racing);
            assertThat(result.healthy()).isTrue();
        }
        assertThat(log).anyMatch(m -> m.contains("moved meanwhile"));
        try (Repository r = HTTPS.open(repo)) {
            assertThat(file(r, "other-writer.txt")).isEqualTo("other");
            assertThat(file(r, "clusters/prod/" + ns + "/gotk-sync.yaml")).isNotNull();
        }
    }

    @Test
    void twoClustersBootstrappingIntoOneBranchAtOnceBothLand() throws Exception {
        String repo = unique("two-clusters");
        HTTPS.createRepository(repo);
        seed(repo);
        String nsA = unique("flux-a");
        String nsB = unique("flux-b");
        try (var a = new FluxControllers(k8s(), nsA, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.HEALTHY);
                var b = new FluxControllers(
                        k8s(), nsB, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            var fa = pool.submit(() -> run(https(repo, nsA).path("clusters/a").build()));
            var fb = pool.submit(() -> run(https(repo, nsB).path("clusters/b").build()));
            fa.get();
            fb.get();
            pool.shutdown();
        }
        try (Repository r = HTTPS.open(repo)) {
            assertThat(file(r, "clusters/a/" + nsA + "/gotk-sync.yaml")).isNotNull();
            assertThat(file(r, "clusters/b/" + nsB + "/gotk-sync.yaml")).isNotNull();
        }
    }

    @Test
    void failingSourceReportsTheControllersMessage() throws IOException {
        String repo = unique("auth-fails");
        String ns = unique("flux-fail");
        HTTPS.createRepository(repo);
        try (var controllers = new FluxControllers(
                k8s(), ns, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.SOURCE_AUTH_FAILS)) {
            assertThatThrownBy(() -> run(https(repo, ns).build()))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("GitRepository/" + ns + "/" + ns + " is not ready")
                    .hasMessageContaining("authentication required")
                    .hasMessageContaining("codecommit:GitPull");
        }
    }

    @Test
    void aKustomizationThatNeverSyncsTimesOut() throws IOException {
        String repo = unique("timeout");
        String ns = unique("flux-timeout");
        HTTPS.createRepository(repo);
        try (var controllers = new FluxControllers(
                k8s(), ns, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.KUSTOMIZATION_NEVER_READY)) {
            assertThatThrownBy(() ->
                            run(https(repo, ns).timeout(Duration.ofSeconds(3)).build()))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("Kustomization/" + ns + "/" + ns + " did not reconcile main@sha1:")
                    .hasMessageContaining("within 3s");
        }
    }

    @Test
    void anExistingSyncOfAnotherPathIsRefusedBeforeAnyChange() throws IOException {
        String repo = unique("other-path");
        String ns = unique("flux-path");
        HTTPS.createRepository(repo);
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(httpsRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            run(https(repo, ns).build());
        }
        String head;
        try (Repository r = HTTPS.open(repo)) {
            head = r.resolve("refs/heads/main").name();
        }
        assertThatThrownBy(() -> run(https(repo, ns).path("clusters/other").build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("syncs path ./clusters/prod, not ./clusters/other");
        try (Repository r = HTTPS.open(repo)) {
            assertThat(r.resolve("refs/heads/main").name()).isEqualTo(head);
        }
    }

    @Test
    void exportIntoALocalRepositoryCommitsAndPlansWithoutACluster() throws Exception {
        Path bare = tmp.resolve("fleet.git");
        org.eclipse.jgit.api.Git.init()
                .setBare(true)
                .setDirectory(bare.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        BootstrapResult result = run(BootstrapRequest.builder(bare.toString())
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .path("clusters/dev")
                .build());
        assertThat(result.exportMode()).isTrue();
        assertThat(result.commits()).hasSize(2);
        assertThat(result.applied()).first().asString().startsWith("CustomResourceDefinition/");
        assertThat(result.applied()).last().asString().isEqualTo("Kustomization/flux-system/flux-system planned");
        try (Repository r = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(bare.toFile())
                .build()) {
            assertThat(file(r, "clusters/dev/flux-system/gotk-sync.yaml")).contains("url: " + bare);
        }
    }

    @Test
    void dryRunWritesFilesAndChangesNothingRemote() throws IOException {
        String repo = unique("dry-run");
        String ns = unique("flux-dry");
        HTTPS.createRepository(repo);
        int accesses = HTTPS.accesses().size();
        BootstrapResult result = run(https(repo, ns)
                .dryRun(true)
                .exportDirectory(tmp.resolve("out").toString())
                .build());
        assertThat(result.exportMode()).isTrue();
        assertThat(Files.readString(tmp.resolve("out/clusters/prod/" + ns + "/gotk-sync.yaml")))
                .contains("provider: aws");
        // It read the repository (a dry run reports what a real run would refuse), and pushed nothing.
        assertThat(HTTPS.accesses().subList(accesses, HTTPS.accesses().size()))
                .isNotEmpty()
                .noneMatch(CodeCommitHttpsServer.Access::push);
        try (Repository r = HTTPS.open(repo)) {
            assertThat(r.resolve("refs/heads/main")).isNull();
        }
        assertThat(k8s().namespaces().withName(ns).get()).isNull();
        assertThat(log).contains("Dry run: clusters/prod/" + ns + "/gotk-sync.yaml would be added on branch main");
    }

    private void seed(String repo) throws IOException {
        try (GitAccess git = GitAccess.builder(CodeCommitUrl.parse(HTTPS.url(repo)), new GitAuth.Iam(KEYS, REGION))
                        .aws(aws)
                        .open();
                Checkout c = git.cloneBranch(tmp.resolve(unique("seed")), "main")) {
            Files.writeString(c.directory().resolve("README.md"), "fleet");
            git.commitAll(c, "seed", GitAccess.author("seed", "", Clock.systemUTC()));
            git.push(c);
        }
    }

    private void pushForeignCommit(String repo) {
        try (GitAccess git = GitAccess.builder(CodeCommitUrl.parse(HTTPS.url(repo)), new GitAuth.Iam(KEYS, REGION))
                        .aws(aws)
                        .open();
                Checkout c = git.cloneBranch(tmp.resolve(unique("other")), "main")) {
            Files.writeString(c.directory().resolve("other-writer.txt"), "other");
            git.commitAll(c, "other writer", GitAccess.author("other", "", Clock.systemUTC()));
            git.push(c);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void keysAddedToTheSourceSecretByHandSurviveARerun() throws IOException {
        String repo = SSH.createRepository(unique("ssh-cacrt"));
        String ns = unique("flux-cacrt");
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", headOf(sshRepo(repo)), FluxControllers.Mode.HEALTHY)) {
            run(ssh(repo, ns, sshKey, sshKeyId).build());
            var s = k8s().secrets().inNamespace(ns).withName("flux-system").get();
            s.getData()
                    .put("ca.crt", Base64.getEncoder().encodeToString("corporate CA".getBytes(StandardCharsets.UTF_8)));
            k8s().secrets().inNamespace(ns).resource(s).update();
            SshKeyPair newKey = SshKeyPair.generateRsa(2048);
            String newKeyId = "APKACACRT" + String.format("%011d", SEQUENCE.incrementAndGet());
            SSH.registerKey(newKeyId, newKey.publicKey());
            BootstrapResult second = run(ssh(repo, ns, newKey, newKeyId).build());
            assertThat(second.secret()).isEqualTo("updated");
        }
        assertThat(secret(ns, "flux-system"))
                .containsEntry("ca.crt", "corporate CA")
                .containsKey("identity");
    }
}
