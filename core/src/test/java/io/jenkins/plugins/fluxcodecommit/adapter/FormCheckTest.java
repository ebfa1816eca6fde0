package io.jenkins.plugins.fluxcodecommit.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck.Level;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.KeyFormats;
import org.junit.jupiter.api.Test;

class FormCheckTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void accessKeyIds() {
        assertThat(FormCheck.accessKeyId("AKIAIOSFODNN7EXAMPLE").level()).isEqualTo(Level.OK);
        assertThat(FormCheck.accessKeyId("").level()).isEqualTo(Level.OK);
        assertThat(FormCheck.accessKeyId("ASIAIOSFODNN7EXAMPLE").level()).isEqualTo(Level.WARNING);
        FormCheck swapped = FormCheck.accessKeyId(SECRET);
        assertThat(swapped.level()).isEqualTo(Level.ERROR);
        assertThat(swapped.message()).contains("wJal****").contains("swapped").doesNotContain(SECRET);
    }

    @Test
    void secretKeys() {
        assertThat(FormCheck.secretAccessKey(SECRET, "AKIAIOSFODNN7EXAMPLE").level())
                .isEqualTo(Level.OK);
        assertThat(FormCheck.secretAccessKey("", "AKIAIOSFODNN7EXAMPLE").level())
                .isEqualTo(Level.ERROR);
        assertThat(FormCheck.secretAccessKey("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE")
                        .message())
                .contains("swapped");
        FormCheck shortKey = FormCheck.secretAccessKey("short-secret-canary", null);
        assertThat(shortKey.level()).isEqualTo(Level.WARNING);
        assertThat(shortKey.message()).doesNotContain("short-secret-canary");
    }

    @Test
    void sshKeyIdsAreNotUserNames() {
        assertThat(FormCheck.sshKeyId("APKAEIBAERJR2EXAMPLE").level()).isEqualTo(Level.OK);
        FormCheck user = FormCheck.sshKeyId("flux-bot");
        assertThat(user.level()).isEqualTo(Level.ERROR);
        assertThat(user.message()).contains("flux-bot").contains("APKA").contains("not the IAM user name");
    }

    @Test
    void lowerCaseOrTruncatedSshKeyIdsAreCalledThat() {
        assertThat(FormCheck.sshKeyId("apkaeibaerjr2example").message()).contains("written in lower case");
        assertThat(FormCheck.sshKeyId("APKAEIBAERJR2EXA").message()).contains("has only 16 characters");
    }

    @Test
    void privateKeysAreParsedAndDescribed() {
        SshKeyPair pair = SshKeyPair.generateRsa(2048);
        FormCheck ok = FormCheck.privateKey(
                KeyFormats.pkcs8Encrypted(pair.keyPair(), "pass-canary").reveal(), "pass-canary");
        assertThat(ok.level()).isEqualTo(Level.OK);
        assertThat(ok.message()).contains("2048").contains(pair.fingerprintSha256());

        FormCheck wrong = FormCheck.privateKey(
                KeyFormats.pkcs8Encrypted(pair.keyPair(), "pass-canary").reveal(), "wrong-pass-canary");
        assertThat(wrong.level()).isEqualTo(Level.ERROR);
        assertThat(wrong.message()).doesNotContain("pass-canary").doesNotContain("PRIVATE KEY");

        FormCheck pub = FormCheck.privateKey(pair.publicKeyOpenSsh(), null);
        assertThat(pub.level()).isEqualTo(Level.ERROR);
        assertThat(pub.message()).contains("public key");
    }

    @Test
    void smallRsaKeysAreRefusedAsCodeCommitDoes() {
        SshKeyPair small = SshKeyPair.generateRsa(1024);
        assertThat(FormCheck.privateKey(small.privateKeyPem().reveal(), null).level())
                .isEqualTo(Level.ERROR);
    }

    @Test
    void otherFields() {
        assertThat(FormCheck.roleArn("arn:aws:iam::123456789012:role/flux").level())
                .isEqualTo(Level.OK);
        assertThat(FormCheck.roleArn("flux").message()).contains("'flux' is not an IAM role ARN");
        assertThat(FormCheck.region("eu-west-1").level()).isEqualTo(Level.OK);
        assertThat(FormCheck.region("eu-wset-1").message()).contains("eu-west-1");
        assertThat(FormCheck.iamUser("flux bot").level()).isEqualTo(Level.ERROR);
        assertThat(FormCheck.url("").level()).isEqualTo(Level.ERROR);
        assertThat(FormCheck.url("ssh://git@git-codecommit.eu-west-1.amazonaws.com/v1/repos/x")
                        .message())
                .contains("'git'");
        assertThat(FormCheck.duration("5m", "timeout").level()).isEqualTo(Level.OK);
        assertThat(FormCheck.duration("5 minutes", "timeout").level()).isEqualTo(Level.ERROR);
        assertThat(FormCheck.kind("https-git-credential").level()).isEqualTo(Level.OK);
        assertThat(FormCheck.kind("password").message()).contains("access-key, ssh-key or https-git-credential");
    }

    @Test
    void aCaFileIsAPathNotAPastedCertificate() {
        assertThat(FormCheck.caFile("").level()).isEqualTo(Level.OK);
        assertThat(FormCheck.caFile("certs/proxy-ca.pem").level()).isEqualTo(Level.OK);
        FormCheck pasted = FormCheck.caFile("-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----");
        assertThat(pasted.level()).isEqualTo(Level.ERROR);
        assertThat(pasted.message()).contains("path of a PEM file on the agent").doesNotContain("MIIB");
    }
}
