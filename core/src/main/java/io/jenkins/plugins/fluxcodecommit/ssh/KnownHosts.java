package io.jenkins.plugins.fluxcodecommit.ssh;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/** known_hosts text (plain or hashed host names), as OpenSSH writes it and Flux stores it. */
public final class KnownHosts {
    private final String text;
    private final List<KnownHostEntry> entries;

    private KnownHosts(String text, List<KnownHostEntry> entries) {
        this.text = text;
        this.entries = entries;
    }

    public static KnownHosts parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(
                    "The known_hosts given is empty.",
                    "Give lines like `git-codecommit.us-east-1.amazonaws.com ssh-rsa AAAA...`, or give none to scan the host.");
        }
        List<KnownHostEntry> entries;
        try {
            entries = KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(text)));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(
                    "The known_hosts given could not be read: a line is not `HOST KEYTYPE BASE64KEY`.",
                    "Each line must be `HOST KEYTYPE BASE64KEY`, as ssh-keyscan prints.");
        }
        long lines = text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .count();
        if (entries.size() != lines) {
            // MINA drops lines it cannot parse; a silently shorter list could hide the host's key.
            throw new InvalidInputException(
                    "The known_hosts given has " + (lines - entries.size()) + " line(s) that cannot be read.",
                    "Each line must be `HOST KEYTYPE BASE64KEY`, as ssh-keyscan prints.");
        }
        return new KnownHosts(text.endsWith("\n") ? text : text + "\n", List.copyOf(entries));
    }

    /** The keys listed for a host and port (port -1 or 22 means the default). */
    public List<PublicKey> keysFor(String host, int port) {
        int effectivePort = port <= 0 ? 22 : port;
        List<PublicKey> keys = new ArrayList<>();
        List<PublicKey> revoked = new ArrayList<>();
        for (KnownHostEntry entry : entries) {
            if (!entry.isHostMatch(host, effectivePort)) {
                continue;
            }
            String marker = entry.getMarker();
            if ("cert-authority".equals(marker)) {
                continue; // a CA for host certificates, not a host key
            }
            PublicKey key;
            try {
                key = entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new InvalidInputException(
                        "A known_hosts line for " + host
                                + " holds a key that cannot be read (its base64 is damaged or its type unknown).",
                        "Replace the line with fresh output of ssh-keyscan.");
            }
            if (key == null) {
                throw new InvalidInputException(
                        "A known_hosts line for " + host
                                + " holds a key of an unsupported type or that cannot be read.",
                        "Replace the line with fresh output of ssh-keyscan.");
            }
            ("revoked".equals(marker) ? revoked : keys).add(key);
        }
        keys.removeIf(k -> revoked.stream().anyMatch(r -> KeyUtils.compareKeys(r, k)));
        return keys;
    }

    /** Host patterns listed, for error messages (hashed names show as such). */
    public List<String> hostPatterns() {
        return entries.stream()
                .map(e -> {
                    String[] fields = e.getConfigLine().trim().split("\\s+");
                    String hosts = fields[0].startsWith("@") && fields.length > 1 ? fields[1] : fields[0];
                    return hosts.startsWith("|") ? "(hashed)" : hosts;
                })
                .distinct()
                .toList();
    }

    public String text() {
        return text;
    }

    /** The known_hosts form of a host name and port: {@code host} or {@code [host]:port}. */
    public static String hostToken(String host, int port) {
        return port <= 0 || port == 22 ? host : "[" + host + "]:" + port;
    }

    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    @Override
    public String toString() {
        return "known_hosts(" + entries.size() + " entries)";
    }
}
