package io.jenkins.plugins.fluxcodecommit.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * One self-signed certificate for 127.0.0.1, shared by every HTTPS test server of the JVM. The JVM's
 * default HTTPS socket factory trusts it, the way an agent's trust store trusts a corporate CA; the
 * engine itself has no "trust all" switch.
 */
public final class TestTls {
    public static final char[] PASSWORD = "test-only".toCharArray();
    private static KeyStore keyStore;

    private TestTls() {}

    /** A client TLS context trusting only the test certificate. */
    public static SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("test-ca", keyStore().getCertificate("server"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test certificate as PEM, for servers and clients configured by files. */
    public static String certificatePem() {
        return pem(certificate());
    }

    /** The test private key as PEM. */
    public static String privateKeyPem() {
        try {
            return pem(keyStore().getKey("server", PASSWORD));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.security.cert.Certificate certificate() {
        try {
            return keyStore().getCertificate("server");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer =
                new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** A server-side TLS context with the shared test certificate, for JDK HttpsServer doubles. */
    public static SSLContext serverContext() {
        try {
            javax.net.ssl.KeyManagerFactory kmf =
                    javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a PKCS#12 trust store holding the test certificate, for another JVM (a Jenkins agent
     * started by a test) to trust the test servers with {@code -Djavax.net.ssl.trustStore}.
     */
    public static java.nio.file.Path writeTrustStore(java.nio.file.Path file) {
        try {
            java.security.cert.Certificate cert = keyStore().getCertificate("server");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("test-ca", cert);
            try (var out = java.nio.file.Files.newOutputStream(file)) {
                trust.store(out, PASSWORD);
            }
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("could not write the test trust store", e);
        }
    }

    public static synchronized KeyStore keyStore() {
        if (keyStore == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                X500Name name = new X500Name("CN=127.0.0.1");
                Instant now = Instant.now();
                var builder = new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofDays(1))),
                        Date.from(now.plus(Duration.ofDays(2))),
                        name,
                        pair.getPublic());
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                }));
                X509Certificate cert = new JcaX509CertificateConverter()
                        .getCertificate(
                                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", pair.getPrivate(), PASSWORD, new X509Certificate[] {cert});
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("test-ca", cert);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
                InetAddress.getByName("127.0.0.1");
                keyStore = ks;
            } catch (Exception e) {
                throw new IllegalStateException("could not create the test TLS certificate", e);
            }
        }
        return keyStore;
    }
}
