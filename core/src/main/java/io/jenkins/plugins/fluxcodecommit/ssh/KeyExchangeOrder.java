package io.jenkins.plugins.fluxcodecommit.ssh;

import java.util.List;
import java.util.Map;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;

/**
 * The order in which the SSH client proposes key exchanges: OpenSSH 10's, with the post-quantum
 * hybrid ML-KEM-768 + X25519 ({@code mlkem768x25519-sha256}, FIPS 203) first, then
 * sntrup761x25519, then the classical exchanges. Apache MINA SSHD proposes sntrup761x25519 first,
 * as OpenSSH 9 did; both hybrids resist a future quantum computer, but sntrup761 in Java (Bouncy
 * Castle) costs about a hundred milliseconds of key generation per connection, ML-KEM a fraction
 * of one. A server that offers neither hybrid still gets the classical exchanges, in OpenSSH's
 * order; every exchange proposed is also in MINA's default proposal, so nothing weaker is
 * offered (MINA's curve448, ML-KEM-1024/NIST hybrids and DH groups 15 and 17 are left out, as
 * OpenSSH leaves them out).
 */
public final class KeyExchangeOrder {
    /** OpenSSH 10.0's default KexAlgorithms, restricted below to what this SSH library implements. */
    static final List<String> PREFERENCE = List.of(
            "mlkem768x25519-sha256",
            "sntrup761x25519-sha512",
            "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256",
            "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256",
            "ecdh-sha2-nistp384",
            "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256",
            "diffie-hellman-group16-sha512",
            "diffie-hellman-group18-sha512",
            "diffie-hellman-group14-sha256");

    /** {@link #PREFERENCE} as this JVM's SSH library supports it, looked up once. */
    private static final List<BuiltinDHFactories> SUPPORTED = PREFERENCE.stream()
            .map(BuiltinDHFactories::fromFactoryName)
            .filter(factory -> factory != null && factory.isSupported())
            .toList();

    private KeyExchangeOrder() {}

    /** The algorithm names, most preferred first, that this JVM's SSH library supports. */
    public static List<String> names() {
        return SUPPORTED.stream().map(BuiltinDHFactories::getName).toList();
    }

    /**
     * A JGit SSH configuration that says only this order (JGit's {@code KexAlgorithms}), for every
     * host: nothing from the machine's ~/.ssh/config is read.
     */
    public static SshConfigStore jgitConfig() {
        Map<String, String> options = Map.of(SshConstants.KEX_ALGORITHMS, String.join(",", names()));
        SshConfigStore.HostConfig config = new SshConfigStore.HostConfig() {
            @Override
            public String getValue(String key) {
                return options.get(key);
            }

            @Override
            public List<String> getValues(String key) {
                String value = options.get(key);
                return value == null ? List.of() : List.of(value);
            }

            @Override
            public Map<String, String> getOptions() {
                return options;
            }

            @Override
            public Map<String, List<String>> getMultiValuedOptions() {
                return Map.of();
            }
        };
        return new SshConfigStore() {
            @Override
            public HostConfig lookup(String hostName, int port, String userName) {
                return config;
            }

            @Override
            public HostConfig lookupDefault(String hostName, int port, String userName) {
                return config;
            }
        };
    }

    /** The key exchange factories of a plain MINA client, in this order. */
    public static List<KeyExchangeFactory> minaFactories() {
        return SUPPORTED.stream().map(ClientBuilder.DH2KEX).toList();
    }
}
