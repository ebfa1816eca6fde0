package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.ConnectProxy;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.RealFlux;
import io.jenkins.plugins.fluxcodecommit.testing.RealFluxControllers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bootstrap end to end with the real Flux: source-controller and kustomize-controller v1.9.4 as
 * local processes, Flux's real install manifests, and the CodeCommit-faithful SSH server, whose
 * users are IAM SSH key IDs. Nothing here plays a controller: the GitRepository's artifact and the
 * Kustomization's applied revision are the real controllers' own reports.
 */
class RealFluxBootstrapTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    static final String CODECOMMIT = "git-codecommit.us-east-1.amazonaws.com";
    static final PrivateCa CA = new PrivateCa("CodeCommit test CA", CODECOMMIT);

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1", CA.serverKeyStore());

    static final AwsKeys OPERATOR = AwsKeys.of("AKIAREALFLUXOPERATOR", "real-flux-operator-secret-key");
    static final AwsKeys CONTROLLER = AwsKeys.of("AKIAREALFLUXSOURCE01", "real-flux-source-controller-key");

    @TempDir
    Path tmp;

    static final String KEY_ID = "APKAREALFLUX00000001";
    static SshKeyPair key;
    static KubeConnection kube;
    static AwsClients aws;

    final List<String> log = new CopyOnWriteArrayList<>();
    final ProgressListener listener = log::add;

    @BeforeAll
    static void setUp() {
        RealFlux.require();
        key = SshKeyPair.generateRsa(2048);
        SSH.registerKey(KEY_ID, key.publicKey());
        aws = new AwsClients(AwsSettings.defaults(), new Redactor(), Map.of());
        kube = KubeConnection.open(
                CLUSTER.target(), aws, null, Map.of(), new Redactor(), Clock.systemUTC(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void tearDown() {
        kube.close();
        aws.close();
    }

    static KubernetesClient k8s() {
        return kube.client();
    }

    static BootstrapRequest request(String repo, String ns, Secret privateKey) {
        return RealFlux.bootstrap(CodeCommitUrl.parse(SSH.url(KEY_ID, repo)).gitUrl(), ns, CLUSTER)
                .sshKey(privateKey, null)
                .build();
    }

    BootstrapResult run(BootstrapRequest request) {
        return new Bootstrap(request, Map.of(), Clock.systemUTC()).call(listener);
    }

    @Test
    void overSshTheRealControllersFetchWithTheKeyIdUserAndApplyThePushedRevision() throws Exception {
        String repo = SSH.createRepository("real-ssh-" + SEQUENCE.incrementAndGet());
        String ns = "real-ssh-" + SEQUENCE.get();
        try (var controllers = RealFluxControllers.start(CLUSTER, k8s(), ns, Map.of())) {
            BootstrapResult result = run(request(repo, ns, key.privateKeyPem()));

            String revision = "main@sha1:" + Clusters.head(SSH::open, repo);
            assertThat(result.healthy()).as(controllers.logs()).isTrue();
            assertThat(status(FluxCluster.GIT_REPOSITORY, ns)
                            .path("artifact")
                            .path("revision")
                            .asText())
                    .as(controllers.logs())
                    .isEqualTo(revision);
            assertThat(status(FluxCluster.KUSTOMIZATION, ns)
                            .path("lastAppliedRevision")
                            .asText())
                    .as(controllers.logs())
                    .isEqualTo(revision);
            assertThat(controllers.logged("source-controller", "stored artifact for commit"))
                    .isTrue();
        }
    }

    @Test
    void theSecretIsWrittenAsFluxWritesItAndARerunAfterFluxsSecretChangesNothing() throws Exception {
        String repo = SSH.createRepository("real-secret-" + SEQUENCE.incrementAndGet());
        String ns = "real-secret-" + SEQUENCE.get();
        Secret given = key.privateKeyPem();
        try (var controllers = RealFluxControllers.start(CLUSTER, k8s(), ns, Map.of())) {
            assertThat(run(request(repo, ns, given)).healthy())
                    .as(controllers.logs())
                    .isTrue();

            var ours = k8s().secrets().inNamespace(ns).withName("flux-system").get();
            assertThat(ours.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getManager)
                    .containsOnly(SecretWrites.FIELD_MANAGER);
            Map<String, String> data = decode(ours.getData());
            assertThat(data.get("identity")).isEqualTo(given.reveal());
            assertThat(data.get("identity.pub")).isEqualTo(key.publicKeyOpenSsh() + "\n");
            assertThat(data.get("known_hosts")).isEqualTo(SSH.knownHostsLine().strip());

            // As flux bootstrap git --private-key-file writes it: the key file, the authorized-keys
            // line, the scanned host key trimmed, sent as stringData by the client named "flux".
            k8s().secrets().inNamespace(ns).withName("flux-system").delete();
            waitGone(ns);
            Map<String, String> fluxData = new LinkedHashMap<>();
            fluxData.put("identity", given.reveal());
            fluxData.put("identity.pub", key.publicKeyOpenSsh() + "\n");
            fluxData.put("known_hosts", SSH.knownHostsLine().strip());
            var flux = new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata()
                    .withName("flux-system")
                    .withNamespace(ns)
                    .endMetadata()
                    .withStringData(fluxData)
                    .build();
            SecretWrites.create(k8s(), flux);
            String before = k8s().secrets()
                    .inNamespace(ns)
                    .withName("flux-system")
                    .get()
                    .getMetadata()
                    .getResourceVersion();

            BootstrapResult rerun = run(request(repo, ns, given));

            assertThat(rerun.healthy()).isTrue();
            assertThat(k8s().secrets()
                            .inNamespace(ns)
                            .withName("flux-system")
                            .get()
                            .getMetadata()
                            .getResourceVersion())
                    .isEqualTo(before);
        }
    }

    @Test
    void overHttpsTheRealSourceControllerSignsItsOwnGitPasswordsWithProviderAws() throws Exception {
        HTTPS.registerKey(OPERATOR, Permission.PULL, Permission.PUSH);
        HTTPS.registerKey(CONTROLLER, Permission.PULL);
        String repo = "real-https-" + SEQUENCE.incrementAndGet();
        String ns = repo;
        HTTPS.createRepository(repo);
        Path ca = CA.writeCertificate(tmp.resolve("ca.pem"));
        try (ConnectProxy proxy = new ConnectProxy().route(CODECOMMIT + ":443", HTTPS.port());
                var controllers = RealFluxControllers.start(
                        CLUSTER,
                        k8s(),
                        ns,
                        Map.of(
                                "AWS_ACCESS_KEY_ID", CONTROLLER.accessKeyId(),
                                "AWS_SECRET_ACCESS_KEY",
                                        CONTROLLER.secretAccessKey().reveal(),
                                "AWS_REGION", "us-east-1",
                                "HTTPS_PROXY", proxy.url(),
                                "SSL_CERT_FILE", ca.toString()))) {
            BootstrapResult result = Clusters.realHttpsFluxCluster(
                    CLUSTER, "https://" + CODECOMMIT + "/v1/repos/" + repo, OPERATOR, ns, ca, proxy.url(), listener);

            String revision = "main@sha1:" + Clusters.head(HTTPS::open, repo);
            assertThat(result.healthy()).as(controllers.logs()).isTrue();
            assertThat(status(FluxCluster.GIT_REPOSITORY, ns)
                            .path("artifact")
                            .path("revision")
                            .asText())
                    .isEqualTo(revision);
            assertThat(status(FluxCluster.KUSTOMIZATION, ns)
                            .path("lastAppliedRevision")
                            .asText())
                    .isEqualTo(revision);
            assertThat(k8s().secrets().inNamespace(ns).withName("flux-system").get())
                    .as("provider: aws keeps no Git credential in the cluster")
                    .isNull();
            assertThat(HTTPS.receivedSecrets())
                    .as("the controller signed with its own key")
                    .anyMatch(s -> s.contains(CONTROLLER.accessKeyId()));
            assertThat(proxy.requested()).contains(CODECOMMIT + ":443");
        }
    }

    private static void waitGone(String ns) throws InterruptedException {
        for (int i = 0;
                i < 50
                        && k8s().secrets()
                                        .inNamespace(ns)
                                        .withName("flux-system")
                                        .get()
                                != null;
                i++) {
            Thread.sleep(100);
        }
    }

    static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    static com.fasterxml.jackson.databind.JsonNode status(
            io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext type, String ns) {
        GenericKubernetesResource r = k8s().genericKubernetesResources(type)
                .inNamespace(ns)
                .withName(ns)
                .get();
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(r.getAdditionalProperties().get("status"));
    }
}
