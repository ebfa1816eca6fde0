package io.jenkins.plugins.fluxcodecommit.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA that nothing in the test JVM trusts (unlike {@link TestTls}), and a server certificate for
 * 127.0.0.1 it issued: what a corporate TLS proxy or a private VPC endpoint presents. Clients reach
 * a server using it only when they are given {@link #certificatePem()} as an extra CA.
 */
public final class PrivateCa {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X509Certificate ca;
    private final KeyPair caKey;
    private final KeyStore serverKeyStore;

    public PrivateCa(String name) {
        this(name, new String[0]);
    }

    /** A CA whose server certificate also names these hosts, such as CodeCommit's own. */
    public PrivateCa(String name, String... dnsNames) {
        try {
            caKey = rsa();
            X500Name caName = new X500Name("CN=" + name + ", O=Flux CodeCommit tests");
            Instant now = Instant.now();
            var caBuilder =
                    new JcaX509v3CertificateBuilder(caName, serial(), from(now), until(now), caName, caKey.getPublic());
            caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = sign(caBuilder, caKey);

            KeyPair serverKey = rsa();
            var serverBuilder = new JcaX509v3CertificateBuilder(
                    caName, serial(), from(now), until(now), new X500Name("CN=127.0.0.1"), serverKey.getPublic());
            java.util.List<GeneralName> names = new java.util.ArrayList<>(java.util.List.of(
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")));
            for (String dns : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
            serverBuilder.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate server = sign(serverBuilder, caKey);
            serverKeyStore = KeyStore.getInstance("PKCS12");
            serverKeyStore.load(null, null);
            serverKeyStore.setKeyEntry(
                    "server", serverKey.getPrivate(), TestTls.PASSWORD, new X509Certificate[] {server, ca});
        } catch (Exception e) {
            throw new IllegalStateException("could not create the private test CA", e);
        }
    }

    /** The CA's certificate as PEM: what a user puts in the file given to --ca-file. */
    public String certificatePem() {
        return pem(ca);
    }

    /** The CA's private key as PEM: what a user must not give to --ca-file. */
    public String privateKeyPem() {
        return pem(caKey.getPrivate());
    }

    /** Writes {@link #certificatePem()} to a file and returns it. */
    public Path writeCertificate(Path file) throws IOException {
        return Files.writeString(file, certificatePem());
    }

    /** The server's key and chain (password {@link TestTls#PASSWORD}), for Jetty. */
    public KeyStore serverKeyStore() {
        return serverKeyStore;
    }

    /** A server-side TLS context with the server certificate, for JDK HttpsServer doubles. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore, TestTls.PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date from(Instant now) {
        return Date.from(now.minus(Duration.ofDays(1)));
    }

    private static Date until(Instant now) {
        return Date.from(now.plus(Duration.ofDays(2)));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
