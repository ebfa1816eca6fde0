package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * Hands credentials to the repository's own scheme, host, port and path only: never to a
 * redirect target or to a URL rewritten by the machine's Git configuration. With temporary AWS
 * credentials the Git user name carries the session token, valid for hours.
 */
final class BoundCredentialsProvider extends CredentialsProvider {
    private final CodeCommitUrl url;
    private final CredentialsProvider delegate;

    BoundCredentialsProvider(CodeCommitUrl url, CredentialsProvider delegate) {
        this.url = url;
        this.delegate = delegate;
    }

    @Override
    public boolean isInteractive() {
        return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        return delegate.supports(items);
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
        return matches(uri) && delegate.get(uri, items);
    }

    @Override
    public void reset(URIish uri) {
        delegate.reset(uri);
    }

    boolean matches(URIish uri) {
        if (uri == null || uri.getHost() == null || url.host() == null) {
            return false;
        }
        String scheme = url.transport() == CodeCommitUrl.Transport.HTTP ? "http" : "https";
        int defaultPort = scheme.equals("http") ? 80 : 443;
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        int expected = url.port() == -1 ? defaultPort : url.port();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String expectedPath = url.path() == null ? "" : url.path().replaceAll("/+$", "");
        return scheme.equalsIgnoreCase(uri.getScheme())
                && uri.getHost().equalsIgnoreCase(url.host())
                && port == expected
                && (path.equals(expectedPath)
                        || path.startsWith(expectedPath + "/")
                        || path.equals(expectedPath + ".git"));
    }
}
