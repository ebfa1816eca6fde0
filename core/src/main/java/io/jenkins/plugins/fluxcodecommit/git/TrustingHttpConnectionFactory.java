package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates;
import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's JDK HTTP connections, with HTTPS trusting the operation's CA certificates on top of the
 * JVM's. Set on each transport (not JGit's static default), so nothing else in the JVM is affected.
 * Certificates and host names are always verified: JGit's {@code http.sslVerify=false} (which its
 * own sessions honour) has no effect here.
 */
final class TrustingHttpConnectionFactory implements HttpConnectionFactory2 {
    private final JDKHttpConnectionFactory jdk = new JDKHttpConnectionFactory();
    private final TrustManager[] trustManagers;

    TrustingHttpConnectionFactory(TrustedCertificates trust) {
        this.trustManagers = trust.trustManagers();
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return jdk.create(url);
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return jdk.create(url, proxy);
    }

    @Override
    public GitSession newSession() {
        return new GitSession() {
            @Override
            public HttpConnection configure(HttpConnection connection, boolean sslVerify)
                    throws GeneralSecurityException {
                if ("https".equals(connection.getURL().getProtocol())) {
                    connection.configure(null, trustManagers, null);
                }
                return connection;
            }

            @Override
            public void close() {
                // nothing held between connections
            }
        };
    }
}
