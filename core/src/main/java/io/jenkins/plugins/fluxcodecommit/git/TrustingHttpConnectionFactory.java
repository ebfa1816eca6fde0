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
 * own sessions honour) has no effect here. When the operation's environment names an HTTPS proxy
 * ({@link EnvironmentProxy}), connections go through it instead of the JVM-wide proxy settings.
 */
final class TrustingHttpConnectionFactory implements HttpConnectionFactory2 {
    private final JDKHttpConnectionFactory jdk = new JDKHttpConnectionFactory();
    private final TrustManager[] trustManagers;
    private final EnvironmentProxy proxy;

    TrustingHttpConnectionFactory(TrustedCertificates trust, EnvironmentProxy proxy) {
        this.trustManagers = trust.isEmpty() ? null : trust.trustManagers();
        this.proxy = proxy;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return proxy == null ? jdk.create(url) : jdk.create(url, proxy.forUrl(url));
    }

    @Override
    public HttpConnection create(URL url, Proxy jvmProxy) throws IOException {
        return jdk.create(url, proxy == null ? jvmProxy : proxy.forUrl(url));
    }

    @Override
    public GitSession newSession() {
        return new GitSession() {
            @Override
            public HttpConnection configure(HttpConnection connection, boolean sslVerify)
                    throws GeneralSecurityException {
                if (trustManagers != null && "https".equals(connection.getURL().getProtocol())) {
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
