package io.jenkins.plugins.fluxcodecommit.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CA certificates one operation trusts on top of the JVM's default trust store, for every TLS
 * connection it makes (Git over HTTPS, STS, IAM, EKS, the Kubernetes API): those of a corporate TLS
 * proxy or a private CA, read once from a PEM file. They are only ever added to the JVM's trust,
 * never put in its place; with none, every client keeps its own default.
 */
public final class TrustedCertificates {
    private static final TrustedCertificates NONE = new TrustedCertificates(null, List.of());

    private final String file;
    private final List<X509Certificate> certificates;
    private TrustManager[] trustManagers;

    private TrustedCertificates(String file, List<X509Certificate> certificates) {
        this.file = file;
        this.certificates = List.copyOf(certificates);
    }

    /** Nothing beyond the JVM's default trust. */
    public static TrustedCertificates none() {
        return NONE;
    }

    /**
     * The certificates of a PEM file (one or more {@code -----BEGIN CERTIFICATE-----} blocks), on the
     * machine where the operation runs. A missing, unreadable or malformed file, a file with no
     * certificate or one that holds a private key is refused, naming the file, never its content.
     *
     * @param file {@code null} or blank for {@link #none()}
     */
    public static TrustedCertificates load(String file) {
        if (file == null || file.isBlank()) {
            return NONE;
        }
        return new TrustedCertificates(file.strip(), PemCertificates.read(file.strip()));
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    /** The CA file as given, or {@code null} when there is none. */
    public String file() {
        return file;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** For messages: where trusted CAs come from. */
    public String describe() {
        return isEmpty() ? "the JVM's trust store" : "the JVM's trust store or the CA file " + file;
    }

    /**
     * Trust managers that accept what the JVM's default trust store accepts and what these
     * certificates issued, with the JDK's own path validation.
     */
    public synchronized TrustManager[] trustManagers() {
        if (trustManagers == null) {
            trustManagers = combined();
        }
        return trustManagers.clone();
    }

    /** A TLS context whose trust is {@link #trustManagers()}. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no TLS implementation", e);
        }
    }

    /** These certificates as PEM text, for clients configured with PEM (a cluster's CA data). */
    public String pem() {
        StringWriter out = new StringWriter();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate certificate : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(base64.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a parsed certificate cannot be encoded again", e);
            }
        }
        return out.toString();
    }

    private TrustManager[] combined() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (X509Certificate issuer : jvmDefault().getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + n++, issuer);
            }
            n = 0;
            for (X509Certificate certificate : certificates) {
                store.setCertificateEntry("ca-file-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a trust store with the CA file's certificates", e);
        }
    }

    private static X509TrustManager jvmDefault() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JVM has no default X.509 trust manager");
    }

    @Override
    public String toString() {
        return isEmpty() ? "no extra CA" : certificates.size() + " CA certificate(s) from " + file;
    }
}
