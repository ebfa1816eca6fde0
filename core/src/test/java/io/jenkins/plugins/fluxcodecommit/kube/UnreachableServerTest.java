package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that does not answer is named, with the reason in words, at the first request: refused,
 * timed out, unknown host, or a certificate that is not trusted.
 */
class UnreachableServerTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    private static final String TOKEN = "probe-token-not-for-messages";

    /** Opens the connection and makes bootstrap's first request, as bootstrap does. */
    private static void firstRequest(String kubeconfig, Duration timeout) {
        try (KubeConnection kube = KubeConnection.open(
                ClusterTarget.select(null, null, false, null, Secret.of(kubeconfig), null, Map.of()),
                null,
                null,
                Map.of(),
                new Redactor(),
                Clock.systemUTC(),
                timeout)) {
            new FluxCluster(kube.client(), kube.describe(), new Redactor(), m -> {}, Clock.systemUTC())
                    .kustomization("flux-system");
        }
    }

    private static String kubeconfig(String server, String clusterExtra) {
        return """
                clusters:
                - name: c
                  cluster:
                    server: %s
                %s
                users:
                - name: u
                  user: {token: %s}
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                current-context: x
                """.formatted(server, clusterExtra, TOKEN);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aClosedPortIsNamedAsARefusedConnectionToThatServer() throws Exception {
        String server = "https://127.0.0.1:" + closedPort();
        assertThatThrownBy(() -> firstRequest(kubeconfig(server, ""), Duration.ofSeconds(10)))
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("Cannot reach the Kubernetes API server " + server)
                .hasMessageContaining("the connection was refused")
                .hasMessageContaining("kubectl cluster-info")
                .hasMessageNotContaining("Exception")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedIsNamedWithTheCaToGive() {
        // The real API server, without the certificate-authority-data that trusts its certificate.
        String server = CLUSTER.url().toString().replaceAll("/$", "");
        assertThatThrownBy(() -> firstRequest(kubeconfig(server, ""), Duration.ofSeconds(10)))
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("The TLS certificate of the API server of ")
                .hasMessageContaining("(" + server + ") is not trusted")
                .hasMessageContaining("kubeconfig certificate-authority")
                .hasMessageContaining("--ca-file FILE (Jenkins steps: caFile)")
                .hasMessageNotContaining("PKIX")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void aServerThatNeverAnswersIsNamedAsTimedOutAfterTheTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String server = "https://127.0.0.1:" + silent.getLocalPort();
            assertThatThrownBy(() -> firstRequest(kubeconfig(server, ""), Duration.ofSeconds(1)))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("Cannot reach the Kubernetes API server " + server)
                    .hasMessageMatching("(?s).*timed out after 1 s.*");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void anUnknownHostAndAConnectTimeoutAreSaidInWords() {
        var unknown = KubeFailures.unreachable(
                new RuntimeException(new UnknownHostException("k8s.example.invalid")),
                "https://k8s.example.invalid:6443",
                "kubeconfig /k context x",
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                new Redactor());
        assertThat(unknown.getMessage())
                .contains("Cannot reach the Kubernetes API server https://k8s.example.invalid:6443"
                        + " (kubeconfig /k context x): the host name k8s.example.invalid is unknown")
                .contains("DNS");
        var connect = KubeFailures.unreachable(
                new HttpConnectTimeoutException("HTTP connect timed out"),
                "https://10.0.0.1:443",
                "EKS cluster prod in eu-west-1",
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                new Redactor());
        assertThat(connect.getMessage()).contains("connecting timed out after 30 s");
    }
}
