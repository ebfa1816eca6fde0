package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import io.jenkins.plugins.fluxcodecommit.ssh.KnownHosts;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * JGit's host key check against exactly the known_hosts of the request: nothing from the machine's
 * ~/.ssh, no prompt. A key that is not listed is refused and remembered, so the caller can report
 * the fingerprints side by side; only a replacement the caller allows (accept-new-host-key for a
 * pinned host) is learned, after its own checks.
 */
final class KnownHostsDatabase implements ServerKeyDatabase {
    /** What a key that is not listed becomes: the known_hosts that now holds it, or a refusal thrown. */
    interface Replacement {
        KnownHosts replace(PublicKey shown);
    }

    private volatile KnownHosts knownHosts;
    private final String host;
    private final int port;
    private final Replacement replacement;
    private final Function<PublicKey, HostKeyMismatchException> mismatch;
    private final AtomicReference<PublicKey> refused = new AtomicReference<>();
    private final AtomicReference<FluxCodeCommitException> failure = new AtomicReference<>();

    /**
     * @param replacement for a key that is not listed, or {@code null} to refuse it
     * @param mismatch the error for a refused key
     */
    KnownHostsDatabase(
            KnownHosts knownHosts,
            String host,
            int port,
            Replacement replacement,
            Function<PublicKey, HostKeyMismatchException> mismatch) {
        this.knownHosts = knownHosts;
        this.host = host;
        this.port = port;
        this.replacement = replacement;
        this.mismatch = mismatch;
    }

    /** The known_hosts in force: as given, pinned or scanned, or the replacement learned. */
    KnownHosts knownHosts() {
        return knownHosts;
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
        if (replacement != null) {
            try {
                knownHosts = replacement.replace(serverKey);
                return true;
            } catch (FluxCodeCommitException e) {
                failure.set(e);
                return false;
            }
        }
        refused.set(serverKey);
        return false;
    }

    /** Forgets a refusal, at the start of each Git operation. */
    void reset() {
        refused.set(null);
        failure.set(null);
    }

    /** Why the last connection's host key was refused, or {@code null}. */
    FluxCodeCommitException refusal() {
        if (failure.get() != null) {
            return failure.get();
        }
        return refused.get() == null ? null : mismatch.apply(refused.get());
    }
}
