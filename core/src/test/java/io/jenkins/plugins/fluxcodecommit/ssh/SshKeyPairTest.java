package io.jenkins.plugins.fluxcodecommit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.KeyFormats;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SshKeyPairTest {
    private static final Secret PASSPHRASE = Secret.of("correct horse battery");
    private static SshKeyPair key;

    @BeforeAll
    static void generate() {
        key = SshKeyPair.generateRsa(2048);
    }

    @Test
    void readsPkcs1Pem() {
        Secret pem = key.privateKeyPem();
        assertThat(pem.reveal()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(SshKeyPair.parse(pem, null).fingerprintSha256()).isEqualTo(key.fingerprintSha256());
    }

    @Test
    void readsPassphraseProtectedPkcs1Pem() {
        Secret pem = key.privateKeyPem(PASSPHRASE);
        assertThat(pem.reveal()).contains("Proc-Type: 4,ENCRYPTED").contains("DEK-Info: AES-128-CBC");
        assertThat(SshKeyPair.parse(pem, PASSPHRASE).fingerprintSha256()).isEqualTo(key.fingerprintSha256());
    }

    @Test
    void readsPkcs8PlainAndEncrypted() {
        assertThat(SshKeyPair.parse(KeyFormats.pkcs8(key.keyPair()), null).fingerprintSha256())
                .isEqualTo(key.fingerprintSha256());
        assertThat(SshKeyPair.parse(KeyFormats.pkcs8Encrypted(key.keyPair(), "pw-pkcs8"), Secret.of("pw-pkcs8"))
                        .fingerprintSha256())
                .isEqualTo(key.fingerprintSha256());
    }

    @Test
    void readsOpenSshFormatPlainAndEncrypted() {
        assertThat(SshKeyPair.parse(KeyFormats.openSsh(key.keyPair(), null), null)
                        .fingerprintSha256())
                .isEqualTo(key.fingerprintSha256());
        assertThat(SshKeyPair.parse(KeyFormats.openSsh(key.keyPair(), "pw-openssh"), Secret.of("pw-openssh"))
                        .fingerprintSha256())
                .isEqualTo(key.fingerprintSha256());
    }

    @Test
    void toleratesWindowsLineEndingsAndSurroundingWhitespace() {
        String pem = "\n  " + key.privateKeyPem().reveal().replace("\n", "\r\n") + "  \n";
        assertThat(SshKeyPair.parse(Secret.of(pem), null).fingerprintSha256()).isEqualTo(key.fingerprintSha256());
    }

    @Test
    void wrongPassphraseIsNamedAsSuch() {
        for (Secret encrypted : new Secret[] {
            key.privateKeyPem(PASSPHRASE),
            KeyFormats.pkcs8Encrypted(key.keyPair(), "correct horse battery"),
            KeyFormats.openSsh(key.keyPair(), "correct horse battery")
        }) {
            assertThatThrownBy(() -> SshKeyPair.parse(encrypted, Secret.of("wrong passphrase")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("does not decrypt")
                    .hasMessageNotContaining("wrong passphrase");
        }
    }

    @Test
    void missingPassphraseIsNamedAsSuch() {
        for (Secret encrypted : new Secret[] {
            key.privateKeyPem(PASSPHRASE),
            KeyFormats.pkcs8Encrypted(key.keyPair(), "x-passphrase"),
            KeyFormats.openSsh(key.keyPair(), "x-passphrase")
        }) {
            assertThatThrownBy(() -> SshKeyPair.parse(encrypted, null))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("protected by a passphrase, and none was given");
        }
    }

    @Test
    void emptyPassphraseCountsAsMissing() {
        assertThatThrownBy(() -> SshKeyPair.parse(KeyFormats.openSsh(key.keyPair(), "x-passphrase"), Secret.of("")))
                .hasMessageContaining("none was given");
    }

    @Test
    void blocksBeforeTheKeyAreSkipped() {
        Secret withParameters =
                Secret.of("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                        + key.privateKeyPem().reveal());
        assertThat(SshKeyPair.parse(withParameters, null).fingerprintSha256()).isEqualTo(key.fingerprintSha256());
    }

    @Test
    void publicKeyGivenAsPrivateKeyIsRefused() {
        assertThatThrownBy(() -> SshKeyPair.parse(Secret.of(key.publicKeyOpenSsh()), null))
                .hasMessageContaining("is a public key");
    }

    @Test
    void garbageIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> SshKeyPair.parse(Secret.of("not-a-key-s3cr3t-value"), null))
                .hasMessageContaining("not PEM or OpenSSH")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aLeadingByteOrderMarkIsNotPartOfTheKey() {
        Secret withBom = Secret.of("\uFEFF" + key.privateKeyPem().reveal());
        assertThat(SshKeyPair.parse(withBom, null).fingerprintSha256()).isEqualTo(key.fingerprintSha256());
    }

    @Test
    void aDamagedKeyBodyIsSaidInWordsWithoutAJavaClassName() {
        String pem = key.privateKeyPem().reveal();
        String[] lines = pem.split("\n");
        // A copy that lost lines in the middle: header and footer intact.
        String damaged = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[lines.length - 1] + "\n";
        assertThatThrownBy(() -> SshKeyPair.parse(Secret.of(damaged), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("its body is damaged or incomplete")
                .hasMessageNotContainingAny("Exception", "PEM block", lines[1]);
    }

    @Test
    void nonRsaKeyIsRefusedForCodeCommit() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        SshKeyPair ecKey = SshKeyPair.parse(KeyFormats.openSsh(ec.generateKeyPair(), null), null);
        assertThatThrownBy(ecKey::requireCodeCommitCompatible)
                .hasMessageContaining("IAM accepts only RSA keys")
                .hasMessageContaining("ssh-keygen -t rsa -b 4096 -m PEM");
    }

    @Test
    void rsaKeyUnder2048BitsIsRefusedForCodeCommit() {
        SshKeyPair small = SshKeyPair.generateRsa(1024);
        assertThatThrownBy(small::requireCodeCommitCompatible)
                .hasMessageContaining("has 1024 bits")
                .hasMessageContaining("at least 2048");
    }

    @Test
    void publicKeyAndFingerprintsAreInTheFormsIamShows() {
        assertThat(key.publicKeyOpenSsh()).startsWith("ssh-rsa AAAA");
        assertThat(key.fingerprintSha256()).startsWith("SHA256:");
        assertThat(key.fingerprintMd5()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
        assertThat(key.bits()).isEqualTo(2048);
        String pemBody = key.privateKeyPem()
                .reveal()
                .lines()
                .filter(l -> !l.startsWith("-----"))
                .findFirst()
                .orElseThrow();
        assertThat(key.toString())
                .isEqualTo("RSA 2048 " + key.fingerprintSha256())
                .doesNotContain(pemBody);
    }
}
