package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.AccessKeyCluster;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters.SshFluxCluster;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.ConnectProxy;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.RealFluxControllers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * SSH-key rotation judged by the real source-controller v1.9.4: the rotation's evidence that Flux
 * uses the new key is the real controller's own Ready condition at the commit that names the new
 * key ID, and when the real controller cannot get in with the new key, everything is put back.
 */
class RealFluxRotationTest extends RotationFixture {
    @AfterEach
    void letEveryClientIn() {
        SSH.letGoClientsInOnlyAs(null);
    }

    private RotationRequest request(SshFluxCluster c) {
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
                Duration.ofSeconds(60),
                Duration.ofMillis(200),
                AwsSettings.defaults().withIamEndpoint(MOTO.endpoint()).withStsEndpoint(MOTO.endpoint()),
                Duration.ZERO);
    }

    @Test
    void theRealSourceControllerFetchesWithTheNewKeyIdBeforeTheOldKeyIsDeleted() throws IOException {
        String ns = unique("real-rotate");
        try (var controllers = RealFluxControllers.start(CLUSTER, k8s(), ns, Map.of())) {
            SshFluxCluster c = Clusters.realSshFluxCluster(
                    MOTO, SSH, CLUSTER, unique("real-user"), unique("real-repo"), ns, log::add);

            RotationResult result = rotate(request(c));

            assertThat(result.outcome()).as(controllers.logs()).isEqualTo(RotationResult.Outcome.ROTATED);
            JsonNode status = status(ns);
            assertThat(status.path("artifact").path("revision").asText()).isEqualTo("main@sha1:" + head(c.repo()));
            assertThat(status.path("conditions"))
                    .anyMatch(cond -> cond.path("type").asText().equals("Ready")
                            && cond.path("status").asText().equals("True"));
            assertThat(SSH.attempts()).anyMatch(a -> a.user().equals(result.newId()) && a.accepted());
            assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                    .extracting(k -> k.sshPublicKeyId())
                    .containsExactly(result.newId());
        }
    }

    @Test
    void whenTheRealSourceControllerIsRefusedTheNewKeyEverythingIsPutBack() throws IOException {
        String ns = unique("real-refused");
        try (var controllers = RealFluxControllers.start(CLUSTER, k8s(), ns, Map.of())) {
            SshFluxCluster c = Clusters.realSshFluxCluster(
                    MOTO, SSH, CLUSTER, unique("real-user"), unique("real-repo"), ns, log::add);
            SSH.letGoClientsInOnlyAs(c.keyId());

            assertThatThrownBy(() -> rotate(request(c))).hasMessageContaining("is not Ready with the new credential");

            assertThat(controllers.logged("source-controller", "unable to authenticate"))
                    .as(controllers.logs())
                    .isTrue();
            assertOnTheOldKey(c);
            assertThat(admin.listSSHPublicKeys(b -> b.userName(c.user())).sshPublicKeys())
                    .extracting(k -> k.sshPublicKeyId())
                    .containsExactly(c.keyId());
        }
    }

    static final String CODECOMMIT = "git-codecommit.us-east-1.amazonaws.com";
    static final PrivateCa CA = new PrivateCa("CodeCommit test CA", CODECOMMIT);

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1", CA.serverKeyStore());

    @TempDir
    Path tmp;

    /**
     * An access key that source-controller signs its Git passwords with ({@code provider: aws} on a
     * cluster without IRSA: the key in a secret its Deployment reads through {@code envFrom}),
     * rotated with a rollout restart as evidence; afterwards the real controller, restarted with
     * the new key, fetches again while IAM and the Git server no longer take the old one.
     */
    @Test
    void anAccessKeyTheRealSourceControllerSignsWithIsRotatedAndItFetchesWithTheNewOne() throws Exception {
        AccessKeyCluster c = accessKeyCluster();
        HTTPS.registerKey(c.first(), Permission.PULL);
        AwsKeys operator = AwsKeys.of("AKIAREALROTATEOPER01", "real-rotation-operator-secret");
        HTTPS.registerKey(operator, Permission.PULL, Permission.PUSH);
        String repo = unique("real-access");
        HTTPS.createRepository(repo);
        Path ca = CA.writeCertificate(tmp.resolve("ca.pem"));
        try (ConnectProxy proxy = new ConnectProxy().route(CODECOMMIT + ":443", HTTPS.port());
                var controllers = RealFluxControllers.start(
                        CLUSTER,
                        k8s(),
                        c.namespace(),
                        Map.of(
                                "AWS_ACCESS_KEY_ID", c.first().accessKeyId(),
                                "AWS_SECRET_ACCESS_KEY",
                                        c.first().secretAccessKey().reveal(),
                                "AWS_REGION", "us-east-1",
                                "HTTPS_PROXY", proxy.url(),
                                "SSL_CERT_FILE", ca.toString()))) {
            assertThat(Clusters.realHttpsFluxCluster(
                                    CLUSTER,
                                    "https://" + CODECOMMIT + "/v1/repos/" + repo,
                                    operator,
                                    c.namespace(),
                                    ca,
                                    proxy.url(),
                                    log::add)
                            .healthy())
                    .as(controllers.logs())
                    .isTrue();
            k8s().apps()
                    .deployments()
                    .inNamespace(c.namespace())
                    .withName("source-controller")
                    .edit(d -> new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(d)
                            .editSpec()
                            .editTemplate()
                            .editSpec()
                            .editFirstContainer()
                            .addNewEnvFrom()
                            .withNewSecretRef()
                            .withName("codecommit")
                            .endSecretRef()
                            .endEnvFrom()
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build());

            RotationResult result = new Rotation(
                            restarting(accessKeyRequest(c, true, null, false, Duration.ZERO)),
                            Map.of(),
                            java.time.Clock.systemUTC(),
                            iam -> new GitServerSharingIam(iam))
                    .call(log::add, CredentialSink.none());

            assertThat(result.outcome()).as(controllers.logs()).isEqualTo(RotationResult.Outcome.ROTATED);
            assertThat(keys(c.user()))
                    .extracting(AccessKeyMetadata::accessKeyId)
                    .containsExactly(result.newId());
            int before = HTTPS.receivedSecrets().size();
            String token = "after-rotation-" + System.nanoTime();
            k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                    .inNamespace(c.namespace())
                    .withName(c.namespace())
                    .edit(r -> {
                        r.getMetadata().getAnnotations().put("reconcile.fluxcd.io/requestedAt", token);
                        return r;
                    });
            JsonNode status = awaitHandled(c.namespace(), token);
            assertThat(status.path("conditions"))
                    .as(controllers.logs())
                    .anyMatch(cond -> cond.path("type").asText().equals("Ready")
                            && cond.path("status").asText().equals("True"));
            assertThat(HTTPS.receivedSecrets()
                            .subList(before, HTTPS.receivedSecrets().size()))
                    .anyMatch(s -> s.startsWith(result.newId()))
                    .noneMatch(s -> s.startsWith(c.first().accessKeyId()));
        }
    }

    private static RotationRequest restarting(RotationRequest r) {
        RotationTarget.NamedSecret named =
                (RotationTarget.NamedSecret) r.targets().get(0);
        return new RotationRequest(
                r.name(),
                r.kind(),
                r.user(),
                r.identity(),
                r.region(),
                r.cluster(),
                List.of(named.withRestart(List.of("source-controller"))),
                r.repositoryUrl(),
                r.maxAge(),
                r.force(),
                r.dryRun(),
                r.deleteAfter(),
                Duration.ofSeconds(60),
                r.pollInterval(),
                r.aws(),
                RotationRequest.DEFAULT_DEACTIVATE_AFTER);
    }

    /** IAM and CodeCommit share their state: the Git server takes a key IAM creates, and not one IAM retires. */
    private static final class GitServerSharingIam extends ForwardingIam {
        GitServerSharingIam(IamCredentials iam) {
            super(iam);
        }

        @Override
        public NewCredential create(String user, CredentialKind kind) {
            NewCredential created = super.create(user, kind);
            HTTPS.registerKey(AwsKeys.of(created.id(), created.secret().reveal()), Permission.PULL);
            return created;
        }

        @Override
        public void setActive(String user, CredentialKind kind, String id, boolean active) {
            super.setActive(user, kind, id, active);
            HTTPS.setActive(id, active);
        }

        @Override
        public void delete(String user, CredentialKind kind, String id) {
            super.delete(user, kind, id);
            HTTPS.setActive(id, false);
        }
    }

    private static JsonNode awaitHandled(String ns, String token) throws InterruptedException {
        JsonNode status = status(ns);
        for (int i = 0;
                i < 300 && !token.equals(status.path("lastHandledReconcileAt").asText());
                i++) {
            Thread.sleep(200);
            status = status(ns);
        }
        return status;
    }

    private static JsonNode status(String ns) {
        var source = k8s().genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                .inNamespace(ns)
                .withName(ns)
                .get();
        return new ObjectMapper().valueToTree(source.getAdditionalProperties().get("status"));
    }
}
