package io.jenkins.plugins.fluxcodecommit.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class CodeCommitIdentityTest {
    private static final String HTTPS = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet";
    private static final String SSH_NO_USER = "ssh://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet";
    private static final String KEY_ID = "APKAEIBAERJR2EXAMPLE";
    private static final String CANARY = "canary-SECRET-wJalrXUtnFEMI-K7MDENG";

    private static CodeCommitIdentity full() {
        return new CodeCommitIdentity(
                "flux-bot",
                "AKIAIOSFODNN7EXAMPLE",
                Secret.of(CANARY),
                null,
                "arn:aws:iam::123456789012:role/flux",
                "ext-1",
                "eu-west-1",
                KEY_ID,
                SshKeyPair.generateRsa(2048).privateKeyPem(),
                Secret.of(CANARY + "-pass"),
                "flux-bot-at-123456789012",
                Secret.of(CANARY + "-git"));
    }

    @Test
    void keysWithARoleAreAssumedFromTheKeys() {
        AssumeRole role = (AssumeRole) full().awsIdentity();
        assertThat(role.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/flux");
        assertThat(role.externalId()).isEqualTo("ext-1");
        assertThat(role.source()).isEqualTo(AwsKeys.of("AKIAIOSFODNN7EXAMPLE", CANARY));
    }

    @Test
    void aRoleWithoutKeysIsAssumedFromTheDefaultChain() {
        CodeCommitIdentity id = new CodeCommitIdentity(
                null,
                null,
                null,
                null,
                "arn:aws:iam::123456789012:role/flux",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(((AssumeRole) id.awsIdentity()).source()).isEqualTo(DefaultChain.create());
        assertThat(CodeCommitIdentity.ofSsh(KEY_ID, Secret.of("x"), null).awsIdentity())
                .isNull();
    }

    @Test
    void blankFieldsCountAsAbsent() {
        CodeCommitIdentity id = new CodeCommitIdentity(
                " ", "", Secret.of(""), Secret.of(""), " ", null, "", " ", Secret.of(""), null, "", null);
        assertThat(id.hasIam()).isFalse();
        assertThat(id.hasSsh()).isFalse();
        assertThat(id.hasGitCredentials()).isFalse();
        assertThat(id.describe()).isEqualTo("(no secrets)");
    }

    @Test
    void anSshUrlWithoutUserGetsTheKeyIdAndTheSshHalf() {
        BootstrapRequest.Builder b = BootstrapRequest.builder("unused");
        String url = full().applyTo(b, SSH_NO_USER);
        assertThat(url).isEqualTo("ssh://" + KEY_ID + "@git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet");
        BootstrapRequest r = b.build();
        assertThat(r.sshPrivateKey()).isNotNull();
        assertThat(r.sshPassphrase().reveal()).isEqualTo(CANARY + "-pass");
        assertThat(r.identity()).isNull();
    }

    @Test
    void anSshUrlWhoseUserIsAnotherKeyIsRefused() {
        assertThatThrownBy(() -> full().applyTo(
                                BootstrapRequest.builder("unused"),
                                "ssh://APKAOTHERKEY00000000@git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("APKAOTHERKEY00000000")
                .hasMessageContaining(KEY_ID);
    }

    @Test
    void anSshUrlNeedsTheSshHalf() {
        CodeCommitIdentity keysOnly = CodeCommitIdentity.ofKeys("AKIAIOSFODNN7EXAMPLE", Secret.of(CANARY), null);
        assertThatThrownBy(() -> keysOnly.applyTo(
                        BootstrapRequest.builder("unused"), "ssh://" + KEY_ID + "@" + SSH_NO_USER.substring(6)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no SSH private key")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void httpsPrefersTheIamHalfThenGitCredentialsThenTheDefaultChain() {
        BootstrapRequest.Builder b = BootstrapRequest.builder("unused");
        full().applyTo(b, HTTPS);
        assertThat(b.build().identity()).isInstanceOf(AssumeRole.class);
        assertThat(b.build().username()).isNull();

        BootstrapRequest.Builder git = BootstrapRequest.builder("unused");
        CodeCommitIdentity.ofGitCredentials("flux-bot-at-1", Secret.of(CANARY)).applyTo(git, HTTPS);
        assertThat(git.build().username()).isEqualTo("flux-bot-at-1");
        assertThat(git.build().identity()).isNull();

        BootstrapRequest.Builder none = BootstrapRequest.builder("unused");
        CodeCommitIdentity.ofSsh(KEY_ID, Secret.of("k"), null).applyTo(none, HTTPS);
        assertThat(none.build().identity()).isEqualTo(DefaultChain.create());
    }

    @Test
    void describeAndToStringNameIdsButNoSecret() throws Exception {
        CodeCommitIdentity id = full();
        assertThat(id.toString())
                .contains("AKIAIOSFODNN7EXAMPLE", KEY_ID, "flux-bot-at-123456789012")
                .doesNotContain(CANARY)
                .doesNotContain("PRIVATE KEY");
        // It crosses to agents as plain data.
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(id);
    }
}
