package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;

/** Rotation end to end: moto (IAM, STS), a real kube-apiserver, and the SSH Git server trusting moto's IAM. */
class RotationTest {
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
        aws = new AwsClients(AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()), new Redactor());
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

    /** A cluster whose named secret holds the user's access key, as the operators' scripts left it. */
    record AccessKeyCluster(String user, String namespace, AwsKeys first) {}

    static AccessKeyCluster accessKeyCluster() {
        String user = unique("fleet-user");
        AwsKeys keys = MOTO.createUserWithKey(user);
        String ns = unique("apps");
        k8s().namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
        k8s().secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("codecommit")
                        .withNamespace(ns)
                        .endMetadata()
                        .addToStringData("AWS_ACCESS_KEY_ID", keys.accessKeyId())
                        .addToStringData(
                                "AWS_SECRET_ACCESS_KEY", keys.secretAccessKey().reveal())
                        .build())
                .create();
        return new AccessKeyCluster(user, ns, keys);
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
                AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()).withIamEndpoint(MOTO.endpoint()));
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

    @Test
    void accessKeyRotationLeavesTheClusterOnANewKeyAndDeletesTheOld() {
        AccessKeyCluster c = accessKeyCluster();
        List<NewCredential> handedBack = new ArrayList<>();
        RotationResult result = new Rotation(
                        accessKeyRequest(c, true, null, false, Duration.ZERO), Map.of(), Clock.systemUTC())
                .call(log::add, handedBack::add);
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(result.oldId()).isEqualTo(c.first().accessKeyId());
        assertThat(result.newId()).isNotEqualTo(c.first().accessKeyId()).startsWith("AKIA");
        assertThat(secretData(c.namespace(), "codecommit"))
                .containsEntry("AWS_ACCESS_KEY_ID", result.newId())
                .containsEntry("AWS_REGION", "us-east-1");
        secretWorks(c);
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(result.newId());
        assertThat(handedBack).singleElement().satisfies(n -> assertThat(n.id()).isEqualTo(result.newId()));
        assertThat(result.iamCalls()).as("IAM calls excluding polling").isLessThanOrEqualTo(8);
        assertThat(k8s().secrets()
                        .inNamespace(c.namespace())
                        .withName("codecommit")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(Rotation.PHASE, "done")
                .containsEntry(Rotation.PREVIOUS, c.first().accessKeyId());
    }

    @Test
    void withoutDeleteTheOldKeyStaysInactiveUntilALaterRunPastTheGracePeriod() {
        AccessKeyCluster c = accessKeyCluster();
        RotationResult first = rotate(accessKeyRequest(c, true, null, false, null));
        assertThat(keys(c.user()))
                .filteredOn(k -> k.accessKeyId().equals(c.first().accessKeyId()))
                .singleElement()
                .satisfies(k -> assertThat(k.status()).isEqualTo(StatusType.INACTIVE));
        // A later scheduled run, not due for rotation, deletes the inactive key once the grace period is over.
        RotationResult later = rotate(accessKeyRequest(c, false, Duration.ofDays(365), false, Duration.ofMillis(1)));
        assertThat(later.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(first.newId());
    }

    @Test
    void theTwoKeyLimitIsHandledByRemovingTheUnusedKeyNeverTheOneInUse() {
        AccessKeyCluster c = accessKeyCluster();
        String spare =
                admin.createAccessKey(b -> b.userName(c.user())).accessKey().accessKeyId();
        admin.updateAccessKey(b -> b.userName(c.user()).accessKeyId(spare).status(StatusType.INACTIVE));
        RotationResult result = rotate(accessKeyRequest(c, true, null, false, null));
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactlyInAnyOrder(c.first().accessKeyId(), result.newId())
                .doesNotContain(spare);
        assertThat(log).anyMatch(m -> m.contains("Deleted " + spare + " (inactive) to make room"));
        secretWorks(c);
    }

    @Test
    void aSecondKeyThatIsActiveAndUsedElsewhereStopsTheRotationBeforeAnyChange() {
        AccessKeyCluster c = accessKeyCluster();
        String other =
                admin.createAccessKey(b -> b.userName(c.user())).accessKey().accessKeyId();
        // moto records no last use; this decorator reports the other key as used, as IAM would.
        UnaryOperator<IamCredentials> usedElsewhere = iam -> new IamCredentials() {
            public List<IamCredential> list(String user, CredentialKind kind) {
                return iam.list(user, kind).stream()
                        .map(k -> k.id().equals(other)
                                ? new IamCredential(k.id(), k.active(), k.created(), Instant.now())
                                : k)
                        .toList();
            }

            public NewCredential create(String user, CredentialKind kind) {
                return iam.create(user, kind);
            }

            public void setActive(String user, CredentialKind kind, String id, boolean active) {
                iam.setActive(user, kind, id, active);
            }

            public void delete(String user, CredentialKind kind, String id) {
                iam.delete(user, kind, id);
            }
        };
        assertThatThrownBy(() -> new Rotation(
                                accessKeyRequest(c, true, null, false, null),
                                Map.of(),
                                Clock.systemUTC(),
                                usedElsewhere)
                        .call(log::add, CredentialSink.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has 2 ACCESS_KEYs (the IAM limit)")
                .hasMessageContaining(other)
                .hasMessageContaining("aws iam update-access-key");
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactlyInAnyOrder(c.first().accessKeyId(), other);
        secretWorks(c);
    }

    @Test
    void aKeyYoungerThanTheMaximumAgeIsNotRotated() {
        AccessKeyCluster c = accessKeyCluster();
        RotationResult result = rotate(accessKeyRequest(c, false, Duration.ofDays(365), false, Duration.ZERO));
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
    }

    @Test
    void aDryRunPlansAndChangesNothing() {
        AccessKeyCluster c = accessKeyCluster();
        RotationResult result = rotate(accessKeyRequest(c, true, null, true, Duration.ZERO));
        assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.PLANNED);
        assertThat(result.message())
                .contains("create a new ACCESS_KEY")
                .contains("deactivate " + c.first().accessKeyId());
        assertThat(keys(c.user())).hasSize(1);
        assertThat(secretData(c.namespace(), "codecommit"))
                .containsEntry("AWS_ACCESS_KEY_ID", c.first().accessKeyId());
    }

    @Test
    void sshKeyRotationMovesFluxToTheNewKeyIdInGitAndTheClusterTogether() throws IOException {
        String user = unique("flux-ssh-user");
        admin.createUser(b -> b.userName(user));
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        String keyId = admin.uploadSSHPublicKey(b -> b.userName(user).sshPublicKeyBody(key.publicKeyOpenSsh()))
                .sshPublicKey()
                .sshPublicKeyId();
        SSH.trustIam(MOTO, user);
        String repo = SSH.createRepository(unique("rotate-ssh"));
        String ns = unique("flux-rot");
        try (var controllers =
                new FluxControllers(k8s(), ns, "main", () -> head(repo), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            new Bootstrap(
                            BootstrapRequest.builder(SSH.url(keyId, repo))
                                    .sshKey(key.privateKeyPem(), null)
                                    .path("clusters/prod")
                                    .install(new InstallOptions(
                                            null, ns, null, null, null, null, true, true, null, null, null))
                                    .manifests(
                                            new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                                    .cluster(CLUSTER.target())
                                    .pollInterval(Duration.ofMillis(100))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            Map.of(),
                            Clock.systemUTC())
                    .call(log::add);
            RotationRequest request = new RotationRequest(
                    ns,
                    CredentialKind.SSH_KEY,
                    user,
                    AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                    "us-east-1",
                    CLUSTER.target(),
                    List.of(new RotationTarget.FluxSource(ns, ns, "flux-system")),
                    null,
                    null,
                    true,
                    false,
                    Duration.ZERO,
                    Duration.ofSeconds(30),
                    Duration.ofMillis(100),
                    AwsSettings.defaults().withIamEndpoint(MOTO.endpoint()).withStsEndpoint(MOTO.endpoint()));
            RotationResult result = rotate(request);
            assertThat(result.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
            assertThat(result.oldId()).isEqualTo(keyId);
            String newId = result.newId();
            assertThat(newId).isNotEqualTo(keyId);
            // Git, the GitRepository and the secret all moved to the new key ID, and Flux fetched with it.
            try (var r = SSH.open(repo)) {
                assertThat(BootstrapFiles.read(r, "clusters/prod/" + ns + "/gotk-sync.yaml"))
                        .contains("ssh://" + newId + "@");
            }
            var gitRepository = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                    .inNamespace(ns)
                    .withName(ns)
                    .get();
            assertThat(gitRepository.getAdditionalProperties().get("spec").toString())
                    .contains(newId + "@");
            assertThat(gitRepository.getAdditionalProperties().get("status").toString())
                    .contains("status=True");
            assertThat(SshKeyPair.parse(Secret.of(secretData(ns, "flux-system").get("identity")), null)
                            .bits())
                    .isEqualTo(4096);
            assertThat(admin.listSSHPublicKeys(b -> b.userName(user)).sshPublicKeys())
                    .extracting(k -> k.sshPublicKeyId())
                    .containsExactly(newId);
        }
    }

    static String head(String repo) {
        try (var r = SSH.open(repo)) {
            var id = r.resolve("refs/heads/main");
            return id == null ? "none" : id.name();
        } catch (IOException e) {
            return "none";
        }
    }
}
