package io.jenkins.plugins.fluxcodecommit.testing;

import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;

/** Writes a key pair in the formats users bring: PKCS#8 and OpenSSH, plain or encrypted. */
public final class KeyFormats {
    private KeyFormats() {}

    public static Secret pkcs8(KeyPair pair) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded());
        return Secret.of("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    }

    public static Secret pkcs8Encrypted(KeyPair pair, String passphrase) {
        try {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new JcaPKCS8Generator(
                        pair.getPrivate(),
                        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                                .setPassword(passphrase.toCharArray())
                                .build()));
            }
            return Secret.of(out.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Secret openSsh(KeyPair pair, String passphrase) {
        try {
            OpenSSHKeyEncryptionContext options = null;
            if (passphrase != null) {
                options = new OpenSSHKeyEncryptionContext();
                options.setCipherName("AES");
                options.setCipherMode("CTR");
                options.setCipherType("256");
                options.setPassword(passphrase);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "test", options, out);
            return Secret.of(out.toString(StandardCharsets.US_ASCII));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
