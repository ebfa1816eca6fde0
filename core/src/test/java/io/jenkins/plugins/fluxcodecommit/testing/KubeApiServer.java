package io.jenkins.plugins.fluxcodecommit.testing;

import io.jenkins.plugins.fluxcodecommit.git.Directories;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver with its etcd on loopback, started once per test JVM, for what fabric8's
 * mock server cannot do: server-side apply, CRD establishment, status subresources. The binaries
 * are built from their Go modules by scripts/ensure-kube-apiserver.sh (run by the build) and
 * cached outside the repository. No controllers run: tests play them by writing status.
 */
public final class KubeApiServer implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KubeApiServer.class);

    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(KubeApiServer.class, k -> launch(), Running.class);
    }

    record Running(URI url, String token, Process etcd, Process apiserver, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            apiserver.destroy();
            etcd.destroy();
            try {
                apiserver.waitFor();
                etcd.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Directories.delete(dir);
        }
    }

    /** Starts one outside JUnit (benchmarks); close it when done. */
    public static KubeApiServer standalone() {
        KubeApiServer server = new KubeApiServer();
        server.running = launch();
        return server;
    }

    /** Stops a server made by {@link #standalone()}. */
    public void stop() {
        running.close();
    }

    /** The cluster as an engine target: URL, admin token, CA. */
    public ClusterTarget target() {
        return new ClusterTarget.ApiServer(
                running.url().toString(), Secret.of(running.token()), TestTls.certificatePem());
    }

    /** An engine connection to this server as its administrator; the caller closes it. */
    public io.jenkins.plugins.fluxcodecommit.kube.KubeConnection connect() {
        return io.jenkins.plugins.fluxcodecommit.kube.KubeConnection.open(
                target(),
                null,
                null,
                java.util.Map.of(),
                new io.jenkins.plugins.fluxcodecommit.secret.Redactor(),
                java.time.Clock.systemUTC(),
                java.time.Duration.ofSeconds(30));
    }

    /** A kubeconfig for this server with one context holding the admin token. */
    public String kubeconfig(String context) {
        String ca = java.util.Base64.getEncoder()
                .encodeToString(TestTls.certificatePem().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: %s
                  context: {cluster: test, user: admin}
                current-context: %s
                """.formatted(running.url(), ca, running.token(), context, context);
    }

    public URI url() {
        return running.url();
    }

    private static Path binaries() {
        String file = System.getProperty("kube.binaries.file", "target/kube-binaries.txt");
        Path dir = null;
        try {
            if (Files.isReadable(Path.of(file))) {
                dir = Path.of(Files.readString(Path.of(file)).strip());
            }
        } catch (IOException ignored) {
            // reported below
        }
        if (dir == null
                || !Files.isExecutable(dir.resolve("kube-apiserver"))
                || !Files.isExecutable(dir.resolve("etcd"))) {
            String message = "kube-apiserver/etcd not built (see " + file + "); run scripts/ensure-kube-apiserver.sh"
                    + " (./mvnw verify does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Running launch() {
        Path bin = binaries();
        try {
            Path dir = Files.createTempDirectory("kube-apiserver");
            int etcdPort = freePort();
            int peerPort = freePort();
            int apiPort = freePort();
            String token = UUID.randomUUID().toString();
            Files.writeString(dir.resolve("tokens.csv"), token + ",admin,admin-uid,system:masters\n");
            Files.writeString(dir.resolve("tls.crt"), TestTls.certificatePem());
            Files.writeString(dir.resolve("tls.key"), TestTls.privateKeyPem());
            SshKeyPair sa = SshKeyPair.generateRsa(2048);
            Files.writeString(dir.resolve("sa.key"), sa.privateKeyPem().reveal());
            java.io.StringWriter pub = new java.io.StringWriter();
            try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pub)) {
                writer.writeObject(sa.publicKey());
            }
            Files.writeString(dir.resolve("sa.pub"), pub.toString());
            Process etcd = new ProcessBuilder(List.of(
                            bin.resolve("etcd").toString(),
                            "--name=test",
                            "--data-dir=" + dir.resolve("etcd"),
                            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                            "--initial-cluster=test=http://127.0.0.1:" + peerPort,
                            "--unsafe-no-fsync",
                            "--log-level=error"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
            Process apiserver = new ProcessBuilder(List.of(
                            bin.resolve("kube-apiserver").toString(),
                            "--etcd-servers=http://127.0.0.1:" + etcdPort,
                            "--bind-address=127.0.0.1",
                            "--advertise-address=127.0.0.1",
                            "--secure-port=" + apiPort,
                            "--cert-dir=" + dir.resolve("certs"),
                            "--tls-cert-file=" + dir.resolve("tls.crt"),
                            "--tls-private-key-file=" + dir.resolve("tls.key"),
                            "--token-auth-file=" + dir.resolve("tokens.csv"),
                            "--authorization-mode=RBAC",
                            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                            "--service-account-key-file=" + dir.resolve("sa.pub"),
                            "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                            "--service-cluster-ip-range=10.0.0.0/24",
                            "--disable-admission-plugins=ServiceAccount",
                            "--enable-priority-and-fairness=false",
                            "--profiling=false",
                            "--allow-privileged=true"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("apiserver.log").toFile())
                    .start();
            URI url = URI.create("https://127.0.0.1:" + apiPort);
            Running running = new Running(url, token, etcd, apiserver, dir);
            waitReady(running, dir);
            return running;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitReady(Running running, Path dir) throws IOException {
        HttpClient http =
                HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(running.url().resolve("/readyz"))
                                .header("Authorization", "Bearer " + running.token())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (!running.apiserver().isAlive()
                    || !running.etcd().isAlive()
                    || Instant.now().isAfter(deadline)) {
                String log = Files.exists(dir.resolve("apiserver.log"))
                        ? Files.readString(dir.resolve("apiserver.log"))
                        : "";
                running.close();
                throw new IllegalStateException(
                        "kube-apiserver did not become ready:\n" + log.substring(Math.max(0, log.length() - 4000)));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
