package io.jenkins.plugins.fluxcodecommit.testing;

import io.jenkins.plugins.fluxcodecommit.git.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local Git server over SSH that authenticates like CodeCommit: the SSH user must be the ID of a
 * registered public key (APKA...), and only that key's private half gets in. No passwords. The
 * host key is RSA.
 */
public final class CodeCommitSshServer implements BeforeAllCallback, AfterAllCallback {
    private static final Pattern COMMAND = Pattern.compile("(git-upload-pack|git-receive-pack) '?(/v1/repos/[^/']+)'?");

    private record RegisteredKey(PublicKey key, boolean active) {}

    /** One authentication attempt: the user, and whether it was let in. */
    public record Attempt(String user, boolean accepted) {}

    private final Map<String, RegisteredKey> keys = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<String> keyExchanges = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger unauthenticatedSessions =
            new java.util.concurrent.atomic.AtomicInteger();
    private KeyPair hostKey;
    private SshServer server;
    private Path root;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public void start() throws Exception {
        root = Files.createTempDirectory("codecommit-ssh");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        hostKey = generator.generateKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setPublickeyAuthenticator(this::authenticate);
        server.setCommandFactory((channel, command) -> new GitCommand(command));
        server.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
            @Override
            public void sessionEvent(org.apache.sshd.common.session.Session session, Event event) {
                if (event == Event.KeyEstablished) {
                    keyExchanges.add(
                            session.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.ALGORITHMS));
                }
            }

            @Override
            public void sessionClosed(org.apache.sshd.common.session.Session session) {
                if (!session.isAuthenticated()) {
                    unauthenticatedSessions.incrementAndGet();
                }
            }
        });
        // MINA's default, pinned: a JVM-wide tcp-nodelay set for the client under test (SshNoDelay)
        // must not change the server's side of the conversation.
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(server, false);
        server.start();
    }

    public void stop() throws Exception {
        if (server != null) {
            server.stop(true);
        }
        Directories.delete(root);
    }

    private boolean authenticate(String user, PublicKey key, ServerSession session) {
        RegisteredKey registered = keys.get(user);
        if (registered == null && iam != null) {
            registered = iam.apply(user);
        }
        boolean ok = registered != null && registered.active() && KeyUtils.compareKeys(registered.key(), key);
        String onlyForGo = goClientsOnly;
        if (onlyForGo != null && session.getClientVersion().startsWith("SSH-2.0-Go") && !onlyForGo.equals(user)) {
            ok = false;
        }
        attempts.add(new Attempt(user, ok));
        return ok;
    }

    private volatile java.util.function.Function<String, RegisteredKey> iam;
    private volatile boolean refusePushes;
    private volatile String goClientsOnly;

    /**
     * A fault on cue: clients written in Go (the real source-controller) get in with this key ID
     * only, while Java clients (the engine) get in as before; {@code null} turns it off. So the
     * real controller refuses a new key the engine itself was let in with.
     */
    public void letGoClientsInOnlyAs(String sshKeyId) {
        this.goClientsOnly = sshKeyId;
    }

    /**
     * How many sessions closed without authenticating: a host-key scan's (ssh-keyscan's, Flux's,
     * the engine's), or a refused client's.
     */
    public int unauthenticatedSessions() {
        return unauthenticatedSessions.get();
    }

    /** The key exchange each session negotiated, in order (a rekey adds one more). */
    public List<String> keyExchanges() {
        return List.copyOf(keyExchanges);
    }

    /** A server of another make: it offers only these key exchanges from now on. */
    public void offerOnlyKeyExchanges(String... names) {
        List<org.apache.sshd.common.kex.KeyExchangeFactory> factories = new java.util.ArrayList<>();
        for (String name : names) {
            factories.add(org.apache.sshd.server.ServerBuilder.DH2KEX.apply(
                    org.apache.sshd.common.kex.BuiltinDHFactories.fromFactoryName(name)));
        }
        server.setKeyExchangeFactories(factories);
    }

    /** Where its bare repositories are, for an HTTPS server that serves the same ones, as CodeCommit does. */
    public Path root() {
        return root;
    }

    /** Makes every push fail (as a repository policy or an outage would) until turned off. */
    public void refusePushes(boolean refuse) {
        this.refusePushes = refuse;
    }

    /**
     * Also accepts the SSH keys IAM (moto) holds for these users, as CodeCommit does: the key ID
     * is looked up with GetSSHPublicKey, and only an Active key gets in.
     */
    public void trustIam(MotoServer moto, String... users) {
        this.iam = keyId -> {
            try (var client = moto.adminIam()) {
                for (String user : users) {
                    try {
                        var k = client.getSSHPublicKey(b ->
                                        b.userName(user).sshPublicKeyId(keyId).encoding("SSH"))
                                .sshPublicKey();
                        PublicKey parsed = org.apache.sshd.common.config.keys.PublicKeyEntry.parsePublicKeyEntry(
                                        k.sshPublicKeyBody())
                                .resolvePublicKey(
                                        null, null, org.apache.sshd.common.config.keys.PublicKeyEntryResolver.IGNORING);
                        return new RegisteredKey(parsed, "Active".equals(k.statusAsString()));
                    } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException e) {
                        // not this user's key
                    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return null;
            }
        };
    }

    /** Registers a public key under its SSH key ID, as IAM's UploadSSHPublicKey does. */
    public void registerKey(String sshKeyId, PublicKey key) {
        keys.put(sshKeyId, new RegisteredKey(key, true));
    }

    public void setActive(String sshKeyId, boolean active) {
        keys.computeIfPresent(sshKeyId, (id, k) -> new RegisteredKey(k.key(), active));
    }

    public String createRepository(String name) throws IOException {
        try (Repository repo = FileRepositoryBuilder.create(root.resolve(name).toFile())) {
            repo.create(true);
        }
        return name;
    }

    /** {@link #createRepository} for lambdas and expressions. */
    public String createRepositoryQuietly(String name) {
        try {
            return createRepository(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String url(String sshKeyId, String name) {
        return "ssh://" + sshKeyId + "@127.0.0.1:" + server.getPort() + "/v1/repos/" + name;
    }

    public int port() {
        return server.getPort();
    }

    /** The server's known_hosts line, as ssh-keyscan would print it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** Shows a new RSA host key from the next connection on, as a replaced or impersonated host would. */
    public void replaceHostKey() throws java.security.GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        hostKey = generator.generateKeyPair();
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public Repository open(String name) throws IOException {
        return new FileRepositoryBuilder()
                .setGitDir(root.resolve(name).toFile())
                .setMustExist(true)
                .build();
    }

    private final class GitCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Thread thread;

        GitCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            thread = new Thread(this::run, "git-ssh " + command);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            Matcher m = COMMAND.matcher(command);
            if (!m.matches()) {
                fail("unsupported command: " + command);
                return;
            }
            String name = m.group(2).substring("/v1/repos/".length());
            if (!Files.isDirectory(root.resolve(name))) {
                fail("fatal: repository '" + name + "' not found");
                return;
            }
            try (Repository repo = open(name)) {
                if (m.group(1).equals("git-upload-pack")) {
                    new UploadPack(repo).upload(in, out, err);
                } else if (refusePushes) {
                    fail("fatal: push refused by a test fault");
                    return;
                } else {
                    new ReceivePack(repo).receive(in, out, err);
                }
                out.flush();
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                fail(String.valueOf(e.getMessage()));
            }
        }

        private void fail(String message) {
            try {
                err.write((message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // the client is gone
            }
            exit.onExit(1, message);
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
