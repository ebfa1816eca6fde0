package io.jenkins.plugins.fluxcodecommit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA file: what it accepts, what it refuses and how, and that it adds to the JVM's trust. */
class TrustedCertificatesTest {
    private static final PrivateCa CA = new PrivateCa("Corporate Proxy CA");

    @TempDir
    Path tmp;

    @Test
    void aBundleWithCommentsBetweenItsCertificatesGivesEveryCertificate() throws Exception {
        Path file = Files.writeString(
                tmp.resolve("bundle.pem"),
                "# Corporate proxy\r\n" + CA.certificatePem().replace("\n", "\r\n") + "\nsubject=CN=test\n"
                        + TestTls.certificatePem());

        TrustedCertificates trust = TrustedCertificates.load(file.toString());

        assertThat(trust.certificates())
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("O=Flux CodeCommit tests,CN=Corporate Proxy CA", "CN=127.0.0.1");
        assertThat(trust.file()).isEqualTo(file.toString());
        assertThat(trust.describe()).isEqualTo("the JVM's trust store or the CA file " + file);
    }

    @Test
    void aUtf8ByteOrderMarkIsIgnored() throws Exception {
        Path file = tmp.resolve("bom.pem");
        Files.write(
                file,
                concat(
                        new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                        CA.certificatePem().getBytes()));
        assertThat(TrustedCertificates.load(file.toString()).certificates()).hasSize(1);
    }

    @Test
    void noFileMeansTheJvmsTrustOnly() {
        assertThat(TrustedCertificates.load(null).isEmpty()).isTrue();
        assertThat(TrustedCertificates.load("  ").isEmpty()).isTrue();
        assertThat(TrustedCertificates.none().describe()).isEqualTo("the JVM's trust store");
    }

    @Test
    void theTrustAddsTheFilesCasToTheJvmsWithoutReplacingThem() throws Exception {
        TrustedCertificates trust = TrustedCertificates.load(
                CA.writeCertificate(tmp.resolve("ca.pem")).toString());
        X509TrustManager combined = (X509TrustManager) trust.trustManagers()[0];

        TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jvm.init((KeyStore) null);
        X509Certificate[] jvmIssuers = ((X509TrustManager) jvm.getTrustManagers()[0]).getAcceptedIssuers();

        assertThat(combined.getAcceptedIssuers())
                .hasSize(jvmIssuers.length + 1)
                .contains(jvmIssuers)
                .contains(trust.certificates().get(0));
        X509Certificate[] chain = (X509Certificate[]) CA.serverKeyStore().getCertificateChain("server");
        combined.checkServerTrusted(new X509Certificate[] {chain[0]}, "RSA");
        // Another private CA's server stays untrusted.
        X509Certificate[] other =
                (X509Certificate[]) new PrivateCa("Other").serverKeyStore().getCertificateChain("server");
        assertThatThrownBy(() -> combined.checkServerTrusted(new X509Certificate[] {other[0]}, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void thePemOfTheCertificatesReadsBackToTheSameCertificates() throws Exception {
        TrustedCertificates trust = TrustedCertificates.load(
                CA.writeCertificate(tmp.resolve("ca.pem")).toString());
        Path again = Files.writeString(tmp.resolve("again.pem"), trust.pem());
        assertThat(TrustedCertificates.load(again.toString()).certificates()).isEqualTo(trust.certificates());
    }

    @Test
    void aMissingFileIsNamed() {
        String missing = tmp.resolve("nope.pem").toString();
        assertThatThrownBy(() -> TrustedCertificates.load(missing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The CA file " + missing + " does not exist.")
                .hasMessageContaining("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> TrustedCertificates.load(tmp.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The CA file " + tmp + " is a directory");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("empty.pem"), "");
        assertThatThrownBy(() -> TrustedCertificates.load(file.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void aPrivateKeyIsRefusedWithoutRepeatingIt() throws Exception {
        String key = CA.privateKeyPem();
        Path file = Files.writeString(tmp.resolve("ca.key"), CA.certificatePem() + key);
        String body = key.split("\n")[1];

        assertThatThrownBy(() -> TrustedCertificates.load(file.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds a private key")
                .hasMessageContaining("not a CA certificate")
                .hasMessageNotContaining(body.substring(0, 20));
    }

    @Test
    void aPrivateKeyIsRefusedBeforeAnyCertificateIsDecoded() throws Exception {
        Path file = Files.writeString(
                tmp.resolve("server.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n" + CA.privateKeyPem());
        assertThatThrownBy(() -> TrustedCertificates.load(file.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds a private key");
    }

    @Test
    void aTruncatedCertificateIsCutShort() throws Exception {
        String pem = CA.certificatePem();
        Path file = Files.writeString(tmp.resolve("cut.pem"), pem.substring(0, pem.length() / 2));
        assertThatThrownBy(() -> TrustedCertificates.load(file.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is cut short")
                .hasMessageContaining("line 1")
                .hasMessageContaining("-----END CERTIFICATE-----");
    }

    @Test
    void aCertificateWithDamagedContentIsNamedByNumberAndLine() throws Exception {
        String[] lines = CA.certificatePem().split("\n");
        lines[3] = lines[3].substring(10);
        Path file = Files.writeString(
                tmp.resolve("damaged.pem"), TestTls.certificatePem() + "\n" + String.join("\n", lines) + "\n");
        assertThatThrownBy(() -> TrustedCertificates.load(file.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Certificate 2 of the CA file " + file)
                .hasMessageContaining("is not a valid X.509 certificate")
                .hasMessageNotContaining(lines[3]);
    }

    @Test
    void aFileWithoutCertificatesSaysWhatItHolds() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "the proxy's CA is on the wiki\n");
        assertThatThrownBy(() -> TrustedCertificates.load(text.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds no PEM certificate.")
                .hasMessageNotContaining("wiki");
        Path publicKey = Files.writeString(
                tmp.resolve("key.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> TrustedCertificates.load(publicKey.toString()))
                .hasMessageContaining("holds no PEM certificate (only PUBLIC KEY)");
    }

    @Test
    void aBinaryDerCertificateGetsTheConversionCommand() throws Exception {
        Path der = tmp.resolve("ca.der");
        String base64 = CA.certificatePem().replaceAll("-----[A-Z ]+-----|\\s", "");
        Files.write(der, Base64.getDecoder().decode(base64));
        assertThatThrownBy(() -> TrustedCertificates.load(der.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("looks like a binary (DER) certificate")
                .hasMessageContaining("openssl x509 -inform der -in " + der);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
