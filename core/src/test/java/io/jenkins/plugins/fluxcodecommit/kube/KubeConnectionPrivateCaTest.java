package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA file and the cluster's own CA: a kubeconfig without the API server's CA works only when
 * the CA file holds it, and a CA file never displaces the kubeconfig's CA.
 */
class KubeConnectionPrivateCaTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @TempDir
    Path tmp;

    private KubeConnection open(String kubeconfig, String caFile) {
        try (AwsClients aws = new AwsClients(AwsSettings.defaults().withCaFile(caFile), new Redactor(), Map.of())) {
            return KubeConnection.open(
                    ClusterTarget.Kubeconfig.inline(Secret.of(kubeconfig), "test"),
                    aws,
                    null,
                    Map.of(),
                    new Redactor(),
                    Clock.systemUTC(),
                    Duration.ofSeconds(10));
        }
    }

    /** The suite's kubeconfig with its certificate-authority-data line taken out. */
    private static String withoutCa() {
        return CLUSTER.kubeconfig("test").replaceAll("(?m)^\\s*certificate-authority-data:.*\\n", "");
    }

    @Test
    void aKubeconfigWithoutTheServersCaIsUntrustedAndTheFixNamesCaFile() {
        assertThat(withoutCa()).doesNotContain("certificate-authority");
        // The connection's first request (its probe of the server) already fails, naming the server.
        assertThatThrownBy(() -> open(withoutCa(), null).close())
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("The TLS certificate of the API server of kubeconfig (given inline) context"
                        + " test (" + CLUSTER.url().toString().replaceAll("/$", "") + ") is not trusted")
                .hasMessageContaining("--ca-file FILE (Jenkins steps: caFile)");
    }

    @Test
    void theCaFileMakesAKubeconfigWithoutCaWork() throws Exception {
        Path caFile = Files.writeString(tmp.resolve("cluster-ca.pem"), TestTls.certificatePem());
        try (KubeConnection kube = open(withoutCa(), caFile.toString())) {
            assertThat(kube.client().namespaces().withName("default").get()).isNotNull();
        }
    }

    @Test
    void aCaFileOfAnotherCaKeepsTheKubeconfigsOwnCa() throws Exception {
        Path otherCa = new PrivateCa("Corporate Proxy CA").writeCertificate(tmp.resolve("proxy-ca.pem"));
        try (KubeConnection kube = open(CLUSTER.kubeconfig("test"), otherCa.toString())) {
            assertThat(kube.client().namespaces().withName("default").get()).isNotNull();
        }
    }
}
