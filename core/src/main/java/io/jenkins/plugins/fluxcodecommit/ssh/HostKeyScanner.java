package io.jenkins.plugins.fluxcodecommit.ssh;

import io.jenkins.plugins.fluxcodecommit.error.NetworkFailure;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * Reads an SSH server's host key, as {@code flux bootstrap} does when no known_hosts is given:
 * connect, complete key exchange, record the key, disconnect without authenticating.
 */
public final class HostKeyScanner {
    /** Flux's scan timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private HostKeyScanner() {}

    /** A scanned host key. */
    public record ScannedKey(String host, int port, PublicKey key) {
        /** The known_hosts line: {@code host keytype base64}, with {@code [host]:port} for other ports. */
        public String knownHostsLine() {
            return KnownHosts.hostToken(host, port) + " " + PublicKeyEntry.toString(key);
        }

        public String fingerprint() {
            return KnownHosts.fingerprint(key);
        }
    }

    public static ScannedKey scan(String host, int port, Duration timeout) {
        int effectivePort = port <= 0 ? 22 : port;
        AtomicReference<PublicKey> seen = new AtomicReference<>();
        SshClient client = SshClient.setUpDefaultClient();
        // Nothing from the machine's ~/.ssh may influence the scan.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyExchangeFactories(KeyExchangeOrder.minaFactories());
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setServerKeyVerifier((session, address, key) -> {
            seen.set(key);
            return true;
        });
        client.start();
        try (ClientSession session =
                client.connect("scan", host, effectivePort).verify(timeout).getSession()) {
            session.waitFor(
                    EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED),
                    timeout);
        } catch (IOException | RuntimeException e) {
            if (seen.get() == null) {
                throw new RemoteOperationException(
                        "Could not read the SSH host key of " + KnownHosts.hostToken(host, effectivePort) + ": "
                                + Objects.requireNonNullElse(
                                        NetworkFailure.describe(e), "the SSH handshake did not complete")
                                + ".",
                        "Check that the host is reachable on port " + effectivePort
                                + " from here (network, proxy, VPC endpoint), or give known_hosts.");
            }
        } finally {
            client.stop();
        }
        if (seen.get() == null) {
            throw new RemoteOperationException(
                    "The SSH server " + KnownHosts.hostToken(host, effectivePort)
                            + " closed the connection before showing its host key.",
                    "Check the host and port, or give known_hosts.");
        }
        return new ScannedKey(host, effectivePort, seen.get());
    }
}
