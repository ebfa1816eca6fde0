package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.ssh.CodeCommitHostKeys;
import io.jenkins.plugins.fluxcodecommit.ssh.HostKeyScanner;
import io.jenkins.plugins.fluxcodecommit.ssh.KnownHosts;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Which host keys an SSH connection trusts, decided before any Git traffic: the known_hosts given;
 * else the known_hosts pinned where an earlier run stored it (the cluster's source secret), as long
 * as the host still shows a key it lists; else the scanned key (trust on first use, as Flux does).
 * Every scanned key of a CodeCommit host is checked against the fingerprints AWS publishes.
 *
 * <p>A pin that lists keys for the host needs no scan: the connection's own key exchange checks
 * the key the host shows against it ({@link #database}), and refuses a different one before any
 * Git traffic, or with accept-new-host-key replaces the pin by it after the same published check.
 */
final class HostKeyTrust {
    /** A known_hosts an earlier run stored, and where (for messages). */
    record Pinned(String knownHosts, String where) {}

    private final String host;
    private final int port;
    private final CodeCommitHostKeys published;
    private final Duration scanTimeout;
    private final ProgressListener log;

    HostKeyTrust(String host, int port, CodeCommitHostKeys published, Duration scanTimeout, ProgressListener log) {
        this.host = host;
        this.port = port;
        this.published = published;
        this.scanTimeout = scanTimeout;
        this.log = log;
    }

    /**
     * The host key check for the connection itself.
     *
     * @param given known_hosts the user gave, or {@code null}; blank text is refused, not taken as "none"
     * @param pinned what an earlier run stored, or {@code null}
     * @param acceptNew whether a host key that differs from the pinned one may replace it
     */
    KnownHostsDatabase database(String given, Pinned pinned, boolean acceptNew) {
        if (given != null) {
            return listed(given(given, pinned));
        }
        KnownHosts pin = pinned == null ? null : readPin(pinned, acceptNew);
        List<PublicKey> pinnedKeys = pin == null ? List.of() : pin.keysFor(host, port);
        if (pinnedKeys.isEmpty()) {
            if (pin != null) {
                log.warn(pinned.where() + " pins host keys for " + pin.hostPatterns() + ", not for " + token()
                        + "; scanning the host");
            }
            HostKeyScanner.ScannedKey scanned = scan();
            log.info("Scanned the SSH host key of " + token() + ": " + scanned.fingerprint()
                    + " (give known_hosts to pin it instead)");
            return listed(KnownHosts.parse(scanned.knownHostsLine()));
        }
        log.info("The SSH host key of " + token() + " must be " + fingerprints(pinnedKeys) + ", as pinned in "
                + pinned.where() + " (checked in the key exchange)");
        return new KnownHostsDatabase(
                pin,
                host,
                port,
                acceptNew ? seen -> replacement(pinned, pinnedKeys, seen) : null,
                seen -> pinnedMismatch(pinned, pinnedKeys, seen));
    }

    private KnownHostsDatabase listed(KnownHosts known) {
        return new KnownHostsDatabase(known, host, port, null, seen -> listedMismatch(known, seen));
    }

    /** With accept-new-host-key, the key a pinned host now shows, after the published check. */
    private KnownHosts replacement(Pinned pinned, List<PublicKey> was, PublicKey seen) {
        HostKeyScanner.ScannedKey shown = checked(new HostKeyScanner.ScannedKey(host, port, seen));
        log.warn("Replacing the SSH host key of " + token() + " pinned in " + pinned.where() + " (" + fingerprints(was)
                + ") by " + shown.fingerprint() + ", as accept-new-host-key asks");
        return KnownHosts.parse(shown.knownHostsLine());
    }

    private HostKeyMismatchException pinnedMismatch(Pinned pinned, List<PublicKey> was, PublicKey seen) {
        return new HostKeyMismatchException(
                "The SSH host key of " + token() + " is now " + KnownHosts.fingerprint(seen) + ", but "
                        + pinned.where() + " pins " + fingerprints(was) + ". Nothing was changed: the host may be"
                        + " impersonated, or its key was replaced.",
                "Compare " + KnownHosts.fingerprint(seen) + " with the fingerprint the host's owner publishes"
                        + (published.fingerprints(host).isEmpty() ? "" : " (" + CodeCommitHostKeys.SOURCE + ")")
                        + "; if the change is genuine, give the new known_hosts (--known-hosts-file) or accept"
                        + " the new key explicitly (--accept-new-host-key).");
    }

    private HostKeyMismatchException listedMismatch(KnownHosts known, PublicKey seen) {
        return new HostKeyMismatchException(
                "The SSH host key of " + token() + " is " + KnownHosts.fingerprint(seen) + ", but known_hosts lists "
                        + known.keysFor(host, port).stream()
                                .map(KnownHosts::fingerprint)
                                .toList()
                        + ". The connection was refused: the host may be impersonated, or its key changed.",
                "Compare the fingerprint with the one AWS publishes for the region; if the change is genuine,"
                        + " replace the known_hosts line.");
    }

    private KnownHosts given(String given, Pinned pinned) {
        KnownHosts known = KnownHosts.parse(given);
        List<PublicKey> keys = known.keysFor(host, port);
        if (keys.isEmpty()) {
            throw new InvalidInputException(
                    "The known_hosts given has no key for " + token() + "; it lists " + known.hostPatterns() + ".",
                    "Add the host's line (ssh-keyscan " + (port > 0 && port != 22 ? "-p " + port + " " : "") + host
                            + "), or give no known_hosts to scan the host.");
        }
        if (pinned != null) {
            List<PublicKey> old = pinnedKeysOrEmpty(pinned);
            boolean same = old.size() == keys.size()
                    && old.stream().allMatch(o -> keys.stream().anyMatch(k -> KeyUtils.compareKeys(o, k)));
            if (!same) {
                log.info("The known_hosts given replaces the host keys of " + token() + " pinned in " + pinned.where()
                        + " (" + (old.isEmpty() ? "none" : fingerprints(old)) + " -> " + fingerprints(keys) + ")");
            }
        }
        return known;
    }

    private KnownHosts readPin(Pinned pinned, boolean acceptNew) {
        try {
            return KnownHosts.parse(pinned.knownHosts());
        } catch (InvalidInputException e) {
            if (acceptNew) {
                log.warn("The known_hosts pinned in " + pinned.where() + " cannot be read (" + e.problem()
                        + "); replacing it, as accept-new-host-key asks");
                return null;
            }
            throw new InvalidInputException(
                    "The known_hosts pinned in " + pinned.where() + " cannot be read: " + e.problem(),
                    "Give the host's known_hosts (--known-hosts-file), or replace the pin with a fresh scan"
                            + " (--accept-new-host-key).");
        }
    }

    private List<PublicKey> pinnedKeysOrEmpty(Pinned pinned) {
        try {
            return KnownHosts.parse(pinned.knownHosts()).keysFor(host, port);
        } catch (InvalidInputException e) {
            return List.of();
        }
    }

    /** Scans the host and checks the key against the published fingerprints, before it is trusted. */
    private HostKeyScanner.ScannedKey scan() {
        return checked(HostKeyScanner.scan(host, port, scanTimeout));
    }

    private HostKeyScanner.ScannedKey checked(HostKeyScanner.ScannedKey scanned) {
        switch (published.check(host, port, scanned.key())) {
            case PUBLISHED ->
                log.info("The SSH host key of " + token() + " (" + scanned.fingerprint()
                        + ") is the one AWS publishes for it");
            case UNPUBLISHED ->
                log.warn("No published fingerprint of " + host + " is known here; trusting the"
                        + " scanned key " + scanned.fingerprint() + " on first use (compare it with "
                        + CodeCommitHostKeys.SOURCE + ", or give known_hosts)");
            case NOT_CODECOMMIT -> {
                // trust on first use, as flux bootstrap does; the caller logs the fingerprint
            }
        }
        return scanned;
    }

    private String token() {
        return KnownHosts.hostToken(host, port);
    }

    private static String fingerprints(List<PublicKey> keys) {
        List<String> all = keys.stream().map(KnownHosts::fingerprint).toList();
        return all.size() == 1 ? all.get(0) : all.toString();
    }
}
