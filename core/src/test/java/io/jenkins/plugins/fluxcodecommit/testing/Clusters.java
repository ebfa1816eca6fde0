package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Clusters as rotation finds them, made on the test servers; shared by the engine's rotation tests
 * and the Jenkins plugin's.
 */
public final class Clusters {
    private Clusters() {}

    /** A namespace whose {@code codecommit} secret holds an IAM user's access key, as operators' scripts leave it. */
    public record AccessKeyCluster(String user, String namespace, AwsKeys first) {}

    public static AccessKeyCluster accessKeyCluster(MotoServer moto, KubernetesClient k8s, String user, String ns) {
        AwsKeys keys = moto.createUserWithKey(user);
        keySecret(k8s, ns, keys);
        return new AccessKeyCluster(user, ns, keys);
    }

    /** Creates namespace {@code ns} with a {@code codecommit} secret holding the keys. */
    public static void keySecret(KubernetesClient k8s, String ns, AwsKeys keys) {
        namespace(k8s, ns);
        k8s.secrets()
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
    }

    public static void namespace(KubernetesClient k8s, String ns) {
        k8s.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
    }

    /** A Flux cluster over SSH, bootstrapped with an RSA key uploaded to moto's IAM for the user. */
    public record SshFluxCluster(String user, String namespace, String repo, SshKeyPair key, String keyId) {}

    /**
     * Creates the IAM user with an SSH key, lets the SSH server trust moto's IAM for it, and
     * bootstraps namespace {@code ns} from {@code repo} on branch main, path clusters/prod, while
     * source-controller is played with the secret's key.
     */
    public static SshFluxCluster sshFluxCluster(
            MotoServer moto,
            CodeCommitSshServer ssh,
            KubeApiServer cluster,
            KubernetesClient k8s,
            String user,
            String repo,
            String ns,
            ProgressListener log) {
        SshFluxCluster c = sshIdentity(moto, ssh, user, repo, ns);
        try (var controllers = new FluxControllers(
                k8s, ns, "main", () -> head(ssh::open, repo), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            bootstrap(
                    BootstrapRequest.builder(ssh.url(c.keyId(), repo))
                            .path("clusters/prod")
                            .install(new InstallOptions(null, ns, null, null, null, null, true, true, null, null, null))
                            .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                            .cluster(cluster.target())
                            .pollInterval(Duration.ofMillis(100))
                            .timeout(Duration.ofSeconds(30)),
                    c,
                    log);
        }
        return c;
    }

    /**
     * The same with the real Flux: Flux's real install manifests, bootstrapped while the real
     * controllers the caller started for {@code ns} ({@link RealFluxControllers}) reconcile them.
     */
    public static SshFluxCluster realSshFluxCluster(
            MotoServer moto,
            CodeCommitSshServer ssh,
            KubeApiServer cluster,
            String user,
            String repo,
            String ns,
            ProgressListener log) {
        SshFluxCluster c = sshIdentity(moto, ssh, user, repo, ns);
        bootstrap(RealFlux.bootstrap(ssh.url(c.keyId(), repo), ns, cluster), c, log);
        return c;
    }

    /**
     * Bootstraps {@code ns} from a CodeCommit HTTPS URL with the operator's IAM identity and Flux's
     * real install manifests ({@code provider: aws}), through the HTTPS proxy and trusting the CA
     * file, while the real controllers the caller started reconcile it.
     */
    public static io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult realHttpsFluxCluster(
            KubeApiServer cluster,
            String url,
            AwsKeys operator,
            String ns,
            java.nio.file.Path caFile,
            String httpsProxy,
            ProgressListener log) {
        BootstrapRequest request = RealFlux.bootstrap(url, ns, cluster)
                .identity(operator)
                .aws(io.jenkins.plugins.fluxcodecommit.aws.AwsSettings.defaults()
                        .withCaFile(caFile.toString()))
                .build();
        return new Bootstrap(request, Map.of("HTTPS_PROXY", httpsProxy), Clock.systemUTC()).call(log);
    }

    private static SshFluxCluster sshIdentity(
            MotoServer moto, CodeCommitSshServer ssh, String user, String repo, String ns) {
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        String keyId;
        try (IamClient admin = moto.adminIam()) {
            admin.createUser(b -> b.userName(user));
            keyId = admin.uploadSSHPublicKey(b -> b.userName(user).sshPublicKeyBody(key.publicKeyOpenSsh()))
                    .sshPublicKey()
                    .sshPublicKeyId();
        }
        ssh.trustIam(moto, user);
        try {
            ssh.createRepository(repo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SshFluxCluster(user, ns, repo, key, keyId);
    }

    private static void bootstrap(BootstrapRequest.Builder request, SshFluxCluster c, ProgressListener log) {
        new Bootstrap(request.sshKey(c.key().privateKeyPem(), null).build(), Map.of(), Clock.systemUTC()).call(log);
    }

    /** Opens a repository of a test Git server by name ({@code SSH::open}, {@code HTTPS::open}). */
    @FunctionalInterface
    public interface Opener {
        org.eclipse.jgit.lib.Repository open(String name) throws IOException;
    }

    /** The commit at refs/heads/main of a repository on a test Git server, or {@code none}. */
    public static String head(Opener server, String repo) {
        try (var r = server.open(repo)) {
            var id = r.resolve("refs/heads/main");
            return id == null ? "none" : id.name();
        } catch (IOException e) {
            return "none";
        }
    }
}
