package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.ssh.KnownHosts;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * JGit's host key check against exactly the known_hosts of the request: nothing from the machine's
 * ~/.ssh, no prompt, no learning. A key that is not listed is refused and remembered, so the caller
 * can report the fingerprints side by side.
 */
final class KnownHostsDatabase implements ServerKeyDatabase {
    private final KnownHosts knownHosts;
    private final String host;
    private final int port;
    private final AtomicReference<PublicKey> refused = new AtomicReference<>();

    KnownHostsDatabase(KnownHosts knownHosts, String host, int port) {
        this.knownHosts = knownHosts;
        this.host = host;
        this.port = port;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return knownHosts.keysFor(host, port);
    }

    @Override
    public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
        for (PublicKey known : knownHosts.keysFor(host, port)) {
            if (KeyUtils.compareKeys(known, serverKey)) {
                return true;
            }
        }
        refused.set(serverKey);
        return false;
    }

    /** Forgets a refusal, at the start of each Git operation. */
    void reset() {
        refused.set(null);
    }

    /** The key the server showed and this database refused, or {@code null}. */
    PublicKey refusedKey() {
        return refused.get();
    }

    List<PublicKey> expectedKeys() {
        return knownHosts.keysFor(host, port);
    }
}
