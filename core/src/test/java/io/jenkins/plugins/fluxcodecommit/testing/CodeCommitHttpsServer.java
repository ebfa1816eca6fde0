package io.jenkins.plugins.fluxcodecommit.testing;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.codecommit.GitCredentialSigner;
import io.jenkins.plugins.fluxcodecommit.git.Directories;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee9.servlet.FilterHolder;
import org.eclipse.jetty.ee9.servlet.ServletContextHandler;
import org.eclipse.jetty.ee9.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local Git server over HTTPS that authenticates exactly like CodeCommit: Basic auth whose user
 * is the access key ID (with {@code %session-token} for temporary keys) and whose password is the
 * SigV4 "GIT" signature of the request's host (without port) and repository path, at most 15
 * minutes old. Anything else is refused with 403; no credentials at all get 401 so Git asks.
 *
 * <p>Signatures are recomputed with the engine's signer, whose algorithm the published
 * git-remote-codecommit vectors pin independently.
 */
public final class CodeCommitHttpsServer implements BeforeAllCallback, AfterAllCallback {
    /** What a key may do, like codecommit:GitPull / codecommit:GitPush. */
    public enum Permission {
        PULL,
        PUSH
    }

    /** One authenticated request, for assertions on which key was used. */
    public record Access(String accessKeyId, String repository, boolean push, int status) {}

    private record Key(String id, Secret secret, Secret token, Set<Permission> permissions, boolean active) {}

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final Pattern PASSWORD = Pattern.compile("(\\d{8}T\\d{6})Z([0-9a-f]{64})");
    private static final Pattern REPO_PATH = Pattern.compile("(/v1/repos/[^/]+)(/.*)?");

    private final String region;
    private final java.security.KeyStore tls;
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final List<Access> accesses = new CopyOnWriteArrayList<>();
    private final List<String> receivedSecrets = new CopyOnWriteArrayList<>();
    private volatile Clock clock = Clock.systemUTC();
    private Path root;
    private CodeCommitSshServer shared;
    private Server server;
    private int port;

    public CodeCommitHttpsServer(String region) {
        this(region, null);
    }

    /**
     * A server with its own key store (password {@link TestTls#PASSWORD}), such as a {@link
     * PrivateCa}'s that the JVM does not trust; {@code null} for the shared trusted test certificate.
     */
    public CodeCommitHttpsServer(String region, java.security.KeyStore tls) {
        this.region = region;
        this.tls = tls;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** Serves the repositories of an SSH server (started first) instead of its own: one repository, two transports. */
    public CodeCommitHttpsServer sharing(CodeCommitSshServer ssh) {
        this.shared = ssh;
        return this;
    }

    public void start() throws Exception {
        root = shared != null ? shared.root() : Files.createTempDirectory("codecommit-https");
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls != null ? tls : TestTls.keyStore());
        ssl.setKeyStorePassword(new String(TestTls.PASSWORD));
        server = new Server();
        ServerConnector connector = new ServerConnector(server, ssl);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        GitServlet git = new GitServlet();
        git.setRepositoryResolver((request, name) -> open(name));
        git.setReceivePackFactory((request, db) -> new ReceivePack(db));
        ServletContextHandler handler = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        handler.setContextPath("/");
        handler.addFilter(new FilterHolder(new SigV4Filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        handler.addServlet(new ServletHolder(git), "/v1/repos/*");
        server.setHandler(handler);
        server.start();
        port = connector.getLocalPort();
    }

    public void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (shared == null) {
            Directories.delete(root);
        }
    }

    /** Creates an empty bare repository and returns its URL on this server. */
    public String createRepository(String name) throws IOException {
        Path dir = root.resolve(name);
        try (Repository repo = FileRepositoryBuilder.create(dir.toFile())) {
            repo.create(true);
        }
        return url(name);
    }

    public int port() {
        return port;
    }

    public String url(String name) {
        return "https://127.0.0.1:" + port + "/v1/repos/" + name;
    }

    /** Opens a repository for assertions; the caller closes it. */
    public Repository open(String name) throws RepositoryNotFoundException {
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new RepositoryNotFoundException(name);
        }
        try {
            return new FileRepositoryBuilder()
                    .setGitDir(dir.toFile())
                    .setMustExist(true)
                    .build();
        } catch (IOException e) {
            throw new RepositoryNotFoundException(name, e);
        }
    }

    public void registerKey(AwsKeys keys, Permission... permissions) {
        this.keys.put(
                keys.accessKeyId(),
                new Key(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken(), Set.of(permissions), true));
    }

    public void setActive(String accessKeyId, boolean active) {
        keys.computeIfPresent(accessKeyId, (id, k) -> new Key(k.id(), k.secret(), k.token(), k.permissions(), active));
    }

    private volatile java.util.function.BiPredicate<String, String> gitCredentials;

    /** Accepts HTTPS Git credentials (user-at-account and password) that this check admits. */
    public void acceptGitCredentials(java.util.function.BiPredicate<String, String> check) {
        this.gitCredentials = check;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public String region() {
        return region;
    }

    /** Every user name and password clients sent, for canary checks that they never leak. */
    public List<String> receivedSecrets() {
        return List.copyOf(receivedSecrets);
    }

    public List<Access> accesses() {
        return List.copyOf(accesses);
    }

    private final class SigV4Filter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            String header = request.getHeader("Authorization");
            if (header == null || !header.startsWith("Basic ")) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"CodeCommit\"");
                response.sendError(401);
                return;
            }
            Matcher path = REPO_PATH.matcher(request.getRequestURI());
            boolean push = request.getRequestURI().endsWith("git-receive-pack")
                    || "git-receive-pack".equals(request.getParameter("service"));
            String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            String password = colon < 0 ? "" : decoded.substring(colon + 1);
            receivedSecrets.add(user);
            receivedSecrets.add(password);
            if (user.contains("-at-") && gitCredentials != null) {
                // HTTPS Git credentials (IAM service-specific credentials): user name and password.
                int status = path.matches() && gitCredentials.test(user, password) ? 200 : 403;
                accesses.add(new Access(user, path.matches() ? path.group(1) : request.getRequestURI(), push, status));
                if (status != 200) {
                    response.sendError(status);
                    return;
                }
                chain.doFilter(req, res);
                return;
            }
            String keyId = user.contains("%") ? user.substring(0, user.indexOf('%')) : user;
            String token = user.contains("%") ? user.substring(user.indexOf('%') + 1) : null;
            int status = path.matches() ? verify(keyId, token, password, request, path.group(1), push) : 403;
            accesses.add(new Access(keyId, path.matches() ? path.group(1) : request.getRequestURI(), push, status));
            if (status != 200) {
                response.sendError(status);
                return;
            }
            chain.doFilter(req, res);
        }

        private int verify(
                String keyId,
                String token,
                String password,
                HttpServletRequest request,
                String repoPath,
                boolean push) {
            Key key = keys.get(keyId);
            if (key == null || !key.active()) {
                return 403;
            }
            if (!MessageDigest.isEqual(bytes(Secret.revealOrNull(key.token())), bytes(token))) {
                return 403;
            }
            Matcher m = PASSWORD.matcher(password);
            if (!m.matches()) {
                return 403;
            }
            Instant signedAt;
            try {
                signedAt = LocalDateTime.parse(m.group(1), TIMESTAMP).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return 403;
            }
            if (Duration.between(signedAt, clock.instant()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
                return 403;
            }
            String host = request.getServerName();
            String expected = GitCredentialSigner.sign(
                            new AwsKeys(keyId, key.secret(), key.token()), region, host, repoPath, signedAt)
                    .password()
                    .reveal();
            if (!MessageDigest.isEqual(bytes(expected), bytes(password))) {
                return 403;
            }
            if (!key.permissions().contains(push ? Permission.PUSH : Permission.PULL)) {
                return 403;
            }
            return 200;
        }

        private static byte[] bytes(String s) {
            return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
