package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/** The servers, a cluster-with-a-key factory and the assertions the rotation tests share. */
abstract class RotationFixture {
    static final AtomicInteger SEQUENCE = new AtomicInteger();

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    static KubeConnection kube;
    static AwsClients aws;
    static IamClient admin;

    @BeforeAll
    static void setUp() {
        aws = new AwsClients(AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()), new Redactor(), Map.of());
        kube = KubeConnection.open(
                CLUSTER.target(), aws, null, Map.of(), new Redactor(), Clock.systemUTC(), Duration.ofSeconds(30));
        admin = MOTO.adminIam();
    }

    @AfterAll
    static void tearDown() {
        kube.close();
        aws.close();
        admin.close();
    }

    final List<String> log = new CopyOnWriteArrayList<>();

    static KubernetesClient k8s() {
        return kube.client();
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    static final Map<String, String> KEY_NAMES =
            Map.of("accessKeyId", "AWS_ACCESS_KEY_ID", "secretAccessKey", "AWS_SECRET_ACCESS_KEY");

    static AccessKeyCluster accessKeyCluster() {
        return Clusters.accessKeyCluster(MOTO, k8s(), unique("fleet-user"), unique("apps"));
    }

    static RotationRequest accessKeyRequest(
            AccessKeyCluster c, boolean force, Duration maxAge, boolean dryRun, Duration deleteAfter) {
        return new RotationRequest(
                c.namespace(),
                CredentialKind.ACCESS_KEY,
                c.user(),
                AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                "us-east-1",
                CLUSTER.target(),
                List.of(new RotationTarget.NamedSecret(
                        c.namespace(), "codecommit", KEY_NAMES, Map.of("AWS_REGION", "us-east-1"))),
                null,
                maxAge,
                force,
                dryRun,
                deleteAfter,
                Duration.ofSeconds(20),
                Duration.ofMillis(100),
                AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()).withIamEndpoint(MOTO.endpoint()),
                Duration.ZERO);
    }

    static Map<String, String> secretData(String ns, String name) {
        Map<String, String> out = new java.util.TreeMap<>();
        k8s().secrets()
                .inNamespace(ns)
                .withName(name)
                .get()
                .getData()
                .forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    static List<AccessKeyMetadata> keys(String user) {
        return admin.listAccessKeys(b -> b.userName(user)).accessKeyMetadata();
    }

    /** The secret's key works with STS, i.e. the cluster holds a working credential. */
    static void secretWorks(AccessKeyCluster c) {
        Map<String, String> data = secretData(c.namespace(), "codecommit");
        AwsKeys held = AwsKeys.of(data.get("AWS_ACCESS_KEY_ID"), data.get("AWS_SECRET_ACCESS_KEY"));
        assertThat(keys(c.user()))
                .as("the key the cluster holds is active in IAM")
                .anyMatch(k -> k.accessKeyId().equals(held.accessKeyId()) && k.status() == StatusType.ACTIVE);
        assertThat(aws.callerIdentity(held, "us-east-1").arn()).endsWith(":user/" + c.user());
    }

    RotationResult rotate(RotationRequest request) {
        return new Rotation(request, Map.of(), Clock.systemUTC()).call(log::add, CredentialSink.none());
    }

    static String head(String repo) {
        return Clusters.head(SSH::open, repo);
    }

    SshFluxCluster sshFluxCluster() {
        return Clusters.sshFluxCluster(
                MOTO,
                SSH,
                CLUSTER,
                k8s(),
                unique("flux-rollback-user"),
                unique("rollback"),
                unique("flux-rb"),
                log::add);
    }

    RotationRequest sshRequest(SshFluxCluster c) {
        return new RotationRequest(
                c.namespace(),
                CredentialKind.SSH_KEY,
                c.user(),
                AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                "us-east-1",
                CLUSTER.target(),
                List.of(new RotationTarget.FluxSource(c.namespace(), c.namespace(), "flux-system")),
                null,
                null,
                true,
                false,
                Duration.ZERO,
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                AwsSettings.defaults().withIamEndpoint(MOTO.endpoint()).withStsEndpoint(MOTO.endpoint()),
                Duration.ZERO);
    }

    void assertOnTheOldKey(SshFluxCluster c) throws IOException {
        try (var r = SSH.open(c.repo())) {
            assertThat(BootstrapFiles.read(r, "clusters/prod/" + c.namespace() + "/gotk-sync.yaml"))
                    .contains("ssh://" + c.keyId() + "@");
        }
        var gitRepository = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(c.namespace())
                .withName(c.namespace())
                .get();
        assertThat(gitRepository.getAdditionalProperties().get("spec").toString())
                .contains(c.keyId() + "@");
        assertThat(SshKeyPair.parse(
                                Secret.of(
                                        secretData(c.namespace(), "flux-system").get("identity")),
                                null)
                        .fingerprintSha256())
                .isEqualTo(c.key().fingerprintSha256());
        assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                .filteredOn(k -> k.statusAsString().equals("Active"))
                .extracting(k -> k.sshPublicKeyId())
                .containsExactly(c.keyId());
    }

    /** An IAM user with an SSH key, a repository on the SSH server, and an Argo CD repository secret for it. */
    record ArgoSshRepository(String user, String namespace, String repo, String keyId, SshKeyPair key) {}

    static ArgoSshRepository argoSshRepository() {
        String user = unique("argo-user");
        admin.createUser(b -> b.userName(user));
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        String keyId = admin.uploadSSHPublicKey(b -> b.userName(user).sshPublicKeyBody(key.publicKeyOpenSsh()))
                .sshPublicKey()
                .sshPublicKeyId();
        SSH.trustIam(MOTO, user);
        String repo = SSH.createRepositoryQuietly(unique("argo-repo"));
        String ns = unique("argocd");
        Clusters.namespace(k8s(), ns);
        k8s().secrets()
                .inNamespace(ns)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("repo-fleet")
                        .addToLabels("argocd.argoproj.io/secret-type", "repository")
                        .endMetadata()
                        .addToStringData("type", "git")
                        .addToStringData("url", SSH.url(keyId, repo))
                        .addToStringData("sshPrivateKey", key.privateKeyPem().reveal())
                        .build())
                .create();
        return new ArgoSshRepository(user, ns, repo, keyId, key);
    }

    static RotationRequest argoRequest(ArgoSshRepository argo, Duration deactivateAfter) {
        return new RotationRequest(
                argo.namespace(),
                CredentialKind.SSH_KEY,
                argo.user(),
                AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                "us-east-1",
                CLUSTER.target(),
                List.of(new RotationTarget.ArgoRepository(argo.namespace(), "repo-fleet")),
                null,
                null,
                true,
                false,
                Duration.ZERO,
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                AwsSettings.defaults().withIamEndpoint(MOTO.endpoint()).withStsEndpoint(MOTO.endpoint()),
                deactivateAfter);
    }
}
