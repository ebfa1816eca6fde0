package io.jenkins.plugins.fluxcodecommit.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.git.Directories;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.ConnectProxy;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.RealFluxControllers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local servers both tools run against, on loopback: one real kube-apiserver with etcd, the
 * CodeCommit-faithful SSH server (key-ID users) and HTTPS server (SigV4), the latter named
 * git-codecommit.us-east-1.amazonaws.com under a private CA and reached through a CONNECT proxy
 * (as source-controller's {@code provider: aws} accepts only that host), and for each bootstrap
 * the real source-controller and kustomize-controller watching its namespace.
 */
final class BenchSite implements AutoCloseable {
    static final String CODECOMMIT = "git-codecommit.us-east-1.amazonaws.com";
    static final String KEY_ID = "APKABENCHSIDEBYSIDE1";
    static final AwsKeys OPERATOR = AwsKeys.of("AKIABENCHOPERATOR001", "bench-operator-secret-access-key");
    static final AwsKeys CONTROLLER = AwsKeys.of("AKIABENCHCONTROLLER1", "bench-controller-secret-access-key");

    enum Transport {
        SSH,
        HTTPS
    }

    final Path dir;
    final KubeApiServer api;
    final KubeConnection kube;
    final Path kubeconfig;
    final CodeCommitSshServer ssh = new CodeCommitSshServer();
    final Path privateKey;
    final PrivateCa ca = new PrivateCa("Benchmark CA", CODECOMMIT);
    final CodeCommitHttpsServer https = new CodeCommitHttpsServer("us-east-1", ca.serverKeyStore());
    final Path caFile;
    final Path operatorSecretFile;
    final ConnectProxy proxy;

    BenchSite() throws Exception {
        dir = Files.createTempDirectory("flux-codecommit-bench");
        api = KubeApiServer.standalone();
        kube = api.connect();
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), api.kubeconfig("bench"));
        ssh.start();
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        ssh.registerKey(KEY_ID, key.publicKey());
        privateKey =
                Files.writeString(dir.resolve("id_rsa"), key.privateKeyPem().reveal());
        https.start();
        https.registerKey(OPERATOR, Permission.PULL, Permission.PUSH);
        https.registerKey(CONTROLLER, Permission.PULL);
        caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        operatorSecretFile = Files.writeString(
                dir.resolve("operator-secret"), OPERATOR.secretAccessKey().reveal());
        proxy = new ConnectProxy().route(CODECOMMIT + ":443", https.port());
    }

    KubernetesClient client() {
        return kube.client();
    }

    /** A new empty repository on the transport's server, and its URL. */
    String repository(Transport transport, String name) throws IOException {
        if (transport == Transport.SSH) {
            ssh.createRepository(name);
            return ssh.url(KEY_ID, name);
        }
        https.createRepository(name);
        return "https://" + CODECOMMIT + "/v1/repos/" + name;
    }

    /** The real controllers for {@code namespace}, started and ready. */
    RealFluxControllers controllers(String namespace, Transport transport) throws InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        if (transport == Transport.HTTPS) {
            env.put("AWS_ACCESS_KEY_ID", CONTROLLER.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", CONTROLLER.secretAccessKey().reveal());
            env.put("AWS_REGION", "us-east-1");
            env.put("HTTPS_PROXY", proxy.url());
            env.put("SSL_CERT_FILE", caFile.toString());
        }
        RealFluxControllers controllers = RealFluxControllers.start(api, client(), namespace, env);
        controllers.awaitReady(Duration.ofMinutes(1));
        return controllers;
    }

    /** The environment a tool process gets: nothing of this machine's but PATH, and its own HOME and TMPDIR. */
    Map<String, String> environment(BenchTool tool, Transport transport) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        if (System.getenv("JAVA_HOME") != null) {
            env.put("JAVA_HOME", System.getenv("JAVA_HOME"));
        }
        env.put("LANG", "C.UTF-8");
        env.put(
                "HOME",
                Files.createDirectories(dir.resolve("home-" + tool.name())).toString());
        env.put(
                "TMPDIR",
                Files.createDirectories(dir.resolve("tmp-" + tool.name())).toString());
        if (transport == Transport.HTTPS) {
            env.put("HTTPS_PROXY", proxy.url());
            env.put("NO_PROXY", "127.0.0.1,localhost");
        }
        env.putAll(tool.environment(transport));
        return env;
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        https.stop();
        ssh.stop();
        kube.close();
        api.stop();
        Directories.delete(dir);
    }
}
