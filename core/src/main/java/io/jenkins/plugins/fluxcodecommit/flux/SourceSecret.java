package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The content of Flux's source secret, as {@code flux bootstrap} writes it: for SSH
 * {@code identity} (PEM), {@code identity.pub}, {@code known_hosts} and {@code password} when the
 * key has a passphrase; for HTTPS {@code username} and {@code password}. With {@code provider: aws}
 * there is none: no operator credential is stored in the cluster.
 */
public record SourceSecret(Map<String, Secret> data) {
    private static final Pattern SIGV4_GIT_PASSWORD = Pattern.compile("\\d{8}T\\d{6}Z[0-9a-f]{64}");
    private static final Set<String> GO_PEM_TYPES =
            Set.of("RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY");
    private static final Pattern IAM_GIT_USER = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{12,124}(%.*)?", Pattern.DOTALL);

    /**
     * As {@code flux bootstrap git --private-key-file} writes it: the key file's bytes as given
     * (re-encoded only when source-controller could not read them: an encrypted PKCS#8 file),
     * the public key as {@code ssh.MarshalAuthorizedKey} writes it, and the scanned host keys
     * trimmed. So the same key and host give the same bytes on every run, by either tool.
     */
    public static SourceSecret ssh(SshKeyPair key, Secret given, Secret passphrase, String knownHosts) {
        Map<String, Secret> data = new LinkedHashMap<>();
        boolean protectedKey = passphrase != null && !passphrase.isEmpty();
        data.put(
                "identity",
                goReadable(given) ? given : protectedKey ? key.privateKeyPem(passphrase) : key.privateKeyPem());
        data.put("identity.pub", Secret.of(key.publicKeyOpenSsh() + "\n"));
        data.put("known_hosts", Secret.of(knownHosts.strip()));
        if (protectedKey) {
            data.put("password", passphrase);
        }
        return new SourceSecret(Map.copyOf(data));
    }

    /** Whether Go's ssh.ParsePrivateKey(WithPassphrase), which source-controller uses, reads the key as given. */
    private static boolean goReadable(Secret given) {
        if (given == null) {
            return false;
        }
        String text = given.reveal().strip();
        return GO_PEM_TYPES.stream().anyMatch(t -> text.startsWith("-----BEGIN " + t + "-----"));
    }

    public static SourceSecret basic(String username, Secret password) {
        return new SourceSecret(Map.of("username", Secret.of(username), "password", password));
    }

    /**
     * The keys of an existing secret that hold an operator's temporary IAM Git credential: a SigV4
     * Git password (valid minutes, carrying the operator's push rights) and the access key ID (with
     * the session token) it goes with, as earlier bootstraps, and Flux 2.9's, wrote for
     * {@code provider: aws}. source-controller never reads them: it signs with its own IAM role.
     */
    public static Set<String> temporaryIamCredentials(Map<String, String> existing) {
        Set<String> keys = new TreeSet<>();
        String password = existing.get("password");
        String username = existing.get("username");
        if (password != null && SIGV4_GIT_PASSWORD.matcher(password.strip()).matches()) {
            keys.add("password");
            if (username != null) {
                keys.add("username");
            }
        }
        if (username != null && IAM_GIT_USER.matcher(username.strip()).matches()) {
            keys.add("username");
        }
        return keys;
    }

    /** Key names only, for plans and logs. */
    public String keys() {
        return String.join(", ", new java.util.TreeSet<>(data.keySet()));
    }

    /**
     * Whether an existing secret already holds this content. An encrypted PEM differs on every
     * write (random IV), so SSH identities compare by the key they hold, not by their bytes.
     */
    public boolean sameAs(Map<String, String> existing) {
        if (existing == null || !existing.keySet().containsAll(data.keySet())) {
            return false;
        }
        if (!data.containsKey("password") && data.containsKey("identity") && existing.containsKey("password")) {
            return false;
        }
        for (var entry : data.entrySet()) {
            String current = existing.get(entry.getKey());
            if (entry.getKey().equals("identity")) {
                try {
                    Secret pass = data.get("password");
                    String have = SshKeyPair.parse(Secret.of(current), pass).fingerprintSha256();
                    String want = SshKeyPair.parse(entry.getValue(), pass).fingerprintSha256();
                    if (!have.equals(want)) {
                        return false;
                    }
                } catch (RuntimeException e) {
                    return false;
                }
            } else if (!entry.getValue().reveal().equals(current)) {
                return false;
            }
        }
        return true;
    }
}
