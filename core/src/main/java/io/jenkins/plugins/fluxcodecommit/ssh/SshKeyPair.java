package io.jenkins.plugins.fluxcodecommit.ssh;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.loader.openssh.OpenSSHKeyPairResourceParser;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * An SSH key pair read from any common private key format (PKCS#1 PEM, plain or with a
 * passphrase; PKCS#8; OpenSSH) or generated, and written as the PEM that Flux expects.
 */
public final class SshKeyPair {
    /** IAM's smallest accepted RSA key. */
    public static final int MIN_CODECOMMIT_BITS = 2048;

    /**
     * Used explicitly, never registered: the JVM's provider list is not ours to change. Made on
     * first use (an encrypted key, a key written with a passphrase): constructing the provider
     * loads some 500 classes, which a plain key never needs.
     */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }

    private static final String OPENSSH_HEADER = "-----BEGIN OPENSSH PRIVATE KEY-----";

    private final KeyPair keyPair;

    private SshKeyPair(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    /** Generates a new RSA key pair (4096 bits is what Flux's documentation asks for). */
    public static SshKeyPair generateRsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
            return new SshKeyPair(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is unavailable in this JVM", e);
        }
    }

    public static SshKeyPair of(KeyPair keyPair) {
        return new SshKeyPair(keyPair);
    }

    /**
     * Reads a private key.
     *
     * @param passphrase {@code null} for a key without one
     */
    public static SshKeyPair parse(Secret privateKey, Secret passphrase) {
        if (privateKey == null || privateKey.reveal().isBlank()) {
            throw new InvalidInputException(
                    "No SSH private key was given.",
                    "Give the private key in PEM form (ssh-keygen -t rsa -b 4096 -m PEM writes one).");
        }
        String text = normalize(privateKey.reveal());
        if (text.startsWith("ssh-") || text.contains("BEGIN PUBLIC KEY") || text.contains("BEGIN SSH2 PUBLIC KEY")) {
            throw new InvalidInputException(
                    "The SSH key given is a public key; a private key is needed here.",
                    "Give the private key file (id_rsa, not id_rsa.pub); IAM keeps the public half.");
        }
        if (text.startsWith("PuTTY-User-Key-File")) {
            throw new InvalidInputException(
                    "The SSH key given is in PuTTY's .ppk format.",
                    "Convert it with `puttygen key.ppk -O private-openssh -o id_rsa` and give that file.");
        }
        if (text.startsWith(OPENSSH_HEADER)) {
            return parseOpenSsh(text, passphrase);
        }
        if (!text.startsWith("-----BEGIN ")) {
            throw new InvalidInputException(
                    "The SSH private key given is not PEM or OpenSSH text (it does not start with '-----BEGIN').",
                    "Give the whole key file, header and footer lines included.");
        }
        return parsePem(text, passphrase);
    }

    private static SshKeyPair parsePem(String text, Secret passphrase) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            // Skip blocks that precede the key, such as "EC PARAMETERS" from openssl ecparam -genkey.
            do {
                parsed = parser.readObject();
            } while (parsed != null && !isKeyObject(parsed));
        } catch (IOException e) {
            throw unreadable();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (parsed instanceof PEMEncryptedKeyPair encrypted) {
                char[] pass = requirePassphrase(passphrase);
                PEMKeyPair decrypted;
                try {
                    decrypted = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                            .setProvider(Bc.PROVIDER)
                            .build(pass));
                } catch (IOException e) {
                    throw wrongPassphrase();
                }
                return new SshKeyPair(converter.getKeyPair(decrypted));
            }
            if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                char[] pass = requirePassphrase(passphrase);
                PrivateKeyInfo info;
                try {
                    info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(Bc.PROVIDER)
                            .build(pass));
                } catch (PKCSException e) {
                    throw wrongPassphrase();
                }
                return fromPrivateKey(converter.getPrivateKey(info));
            }
            if (parsed instanceof PEMKeyPair plain) {
                return new SshKeyPair(converter.getKeyPair(plain));
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return fromPrivateKey(converter.getPrivateKey(info));
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            throw unreadable();
        }
        throw new InvalidInputException(
                parsed == null
                        ? "The SSH key given holds no private key: none of its PEM blocks is a key."
                        : "The SSH key given is a public key; a private key is needed here.",
                "Give an RSA private key in PEM (-----BEGIN RSA PRIVATE KEY-----), PKCS#8 or OpenSSH form.");
    }

    private static boolean isKeyObject(Object parsed) {
        return parsed instanceof PEMEncryptedKeyPair
                || parsed instanceof PKCS8EncryptedPrivateKeyInfo
                || parsed instanceof PEMKeyPair
                || parsed instanceof PrivateKeyInfo
                || parsed instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
    }

    private static SshKeyPair parseOpenSsh(String text, Secret passphrase) {
        boolean[] asked = {false};
        FilePasswordProvider provider = (session, resource, retryIndex) -> {
            asked[0] = true;
            return passphrase == null || passphrase.isEmpty() ? null : passphrase.reveal();
        };
        try {
            List<String> lines = List.of(text.split("\n"));
            var pairs = OpenSSHKeyPairResourceParser.INSTANCE.loadKeyPairs(
                    null, new PathResource(java.nio.file.Path.of("ssh-key")), provider, lines);
            if (pairs == null || pairs.isEmpty()) {
                throw unreadable();
            }
            return new SshKeyPair(pairs.iterator().next());
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (asked[0] && (passphrase == null || passphrase.isEmpty())) {
                throw missingPassphrase();
            }
            if (asked[0]) {
                throw wrongPassphrase();
            }
            throw unreadable();
        }
    }

    private static SshKeyPair fromPrivateKey(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            PublicKey pub = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            return new SshKeyPair(new KeyPair(pub, key));
        }
        throw new InvalidInputException(
                "The PKCS#8 key given is a " + key.getAlgorithm() + " key, whose public half cannot be derived here.",
                "Give the key in OpenSSH or PEM form (ssh-keygen -p -m PEM -f KEYFILE converts it in place).");
    }

    private static char[] requirePassphrase(Secret passphrase) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw missingPassphrase();
        }
        return passphrase.reveal().toCharArray();
    }

    private static InvalidInputException missingPassphrase() {
        return new InvalidInputException(
                "The SSH private key is protected by a passphrase, and none was given.",
                "Give the key's passphrase, or remove it with `ssh-keygen -p -m PEM -f KEYFILE`.");
    }

    private static InvalidInputException wrongPassphrase() {
        return new InvalidInputException(
                "The passphrase given does not decrypt the SSH private key.",
                "Check the passphrase stored with the key; `ssh-keygen -y -f KEYFILE` tests it locally.");
    }

    // The library's exception says nothing a user can act on (and names its own classes): the key's
    // frame is there, so its body is what is damaged.
    private static InvalidInputException unreadable() {
        return new InvalidInputException(
                "The SSH private key could not be read: it has a key header, but its body is damaged or"
                        + " incomplete (a truncated copy, a missing or extra line, or changed characters).",
                "Give the whole key file unchanged (header, body and footer lines), as written by ssh-keygen.");
    }

    // A byte-order mark, as Windows editors write one, is not part of the key.
    private static String normalize(String key) {
        String text = key.startsWith("\uFEFF") ? key.substring(1) : key;
        return text.replace("\r\n", "\n").replace('\r', '\n').strip() + "\n";
    }

    /** Fails unless IAM would accept this key for CodeCommit: RSA of at least 2048 bits. */
    public SshKeyPair requireCodeCommitCompatible() {
        if (!(keyPair.getPublic() instanceof RSAPublicKey)) {
            throw new InvalidInputException(
                    "The SSH key is " + algorithm() + " (" + fingerprintSha256() + "); IAM accepts only RSA keys for"
                            + " CodeCommit.",
                    "Create an RSA key: ssh-keygen -t rsa -b 4096 -m PEM, upload its public half to the IAM user.");
        }
        if (bits() < MIN_CODECOMMIT_BITS) {
            throw new InvalidInputException(
                    "The RSA key " + fingerprintSha256() + " has " + bits() + " bits; IAM needs at least "
                            + MIN_CODECOMMIT_BITS + ".",
                    "Create a larger key: ssh-keygen -t rsa -b 4096 -m PEM.");
        }
        return this;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** "RSA", "EC", "EdDSA", ... */
    public String algorithm() {
        return keyPair.getPublic().getAlgorithm().toUpperCase(Locale.ROOT);
    }

    /** Key size in bits (the modulus length for RSA). */
    public int bits() {
        if (keyPair.getPublic() instanceof RSAPublicKey rsa) {
            BigInteger modulus = rsa.getModulus();
            return modulus.bitLength();
        }
        return KeyUtils.getKeySize(keyPair.getPublic());
    }

    /** The public key as one OpenSSH line ({@code ssh-rsa AAAA...}), as IAM's UploadSSHPublicKey takes it. */
    public String publicKeyOpenSsh() {
        return PublicKeyEntry.toString(keyPair.getPublic());
    }

    /** {@code SHA256:...}, as ssh-keygen -l prints it. */
    public String fingerprintSha256() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, keyPair.getPublic());
    }

    /** The MD5 fingerprint in IAM's form ({@code aa:bb:...}), as ListSSHPublicKeys/GetSSHPublicKey show it. */
    public String fingerprintMd5() {
        String fp = KeyUtils.getFingerPrint(BuiltinDigests.md5, keyPair.getPublic());
        return fp.startsWith("MD5:") ? fp.substring(4) : fp;
    }

    /** The private key as PEM: PKCS#1 ({@code RSA PRIVATE KEY}) for RSA, as Flux's secret expects. */
    public Secret privateKeyPem() {
        return writePem(null);
    }

    /** The private key as PEM encrypted with a passphrase (AES-128-CBC, as ssh-keygen -m PEM does). */
    public Secret privateKeyPem(Secret passphrase) {
        return writePem(passphrase);
    }

    private Secret writePem(Secret passphrase) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (passphrase == null) {
                writer.writeObject(new JcaMiscPEMGenerator(keyPair.getPrivate()));
            } else {
                writer.writeObject(new JcaMiscPEMGenerator(
                        keyPair.getPrivate(),
                        new JcePEMEncryptorBuilder("AES-128-CBC")
                                .setProvider(Bc.PROVIDER)
                                .build(passphrase.reveal().toCharArray())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return Secret.of(out.toString());
    }

    @Override
    public String toString() {
        return algorithm() + " " + bits() + " " + fingerprintSha256();
    }
}
