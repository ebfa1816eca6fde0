package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import org.junit.jupiter.api.Test;

class GitAuthTest {
    private static final CodeCommitUrl HTTPS =
            CodeCommitUrl.parse("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r");
    private static final CodeCommitUrl SSH =
            CodeCommitUrl.parse("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/r");
    private static final AwsKeys KEYS = AwsKeys.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @Test
    void iamIdentityTogetherWithUserNameOrPasswordIsRefused() {
        assertThatThrownBy(() -> GitAuth.choose(HTTPS, KEYS, null, "alice-at-123", null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Both an IAM identity and a user name or password");
        assertThatThrownBy(() -> GitAuth.choose(HTTPS, KEYS, null, null, Secret.of("pw-pw-pw"), null, null, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void sshUrlWithoutKeyIsRefusedSayingIamKeysDoNotWorkOverSsh() {
        assertThatThrownBy(() -> GitAuth.choose(SSH, KEYS, null, null, null, null, null, null))
                .hasMessageContaining("no SSH private key was given")
                .hasMessageContaining("IAM keys and passwords do not work over SSH");
    }

    @Test
    void sshKeyForAnHttpsUrlIsRefused() {
        assertThatThrownBy(() -> GitAuth.choose(HTTPS, null, null, null, null, Secret.of("key"), null, null))
                .hasMessageContaining("An SSH private key was given for the HTTPS URL");
    }

    @Test
    void codeCommitWithoutAnyCredentialIsRefused() {
        assertThatThrownBy(() -> GitAuth.choose(HTTPS, null, null, null, null, null, null, null))
                .hasMessageContaining("No credentials were given for the CodeCommit URL");
    }

    @Test
    void userNameWithoutPasswordIsRefused() {
        assertThatThrownBy(() -> GitAuth.choose(HTTPS, null, null, "alice-at-123", null, null, null, null))
                .hasMessageContaining("need both a user name and a password");
    }

    @Test
    void eachValidCombinationGivesItsKind() {
        assertThat(GitAuth.choose(HTTPS, DefaultChain.create(), null, null, null, null, null, null))
                .isInstanceOf(GitAuth.Iam.class);
        assertThat(GitAuth.choose(HTTPS, null, null, "alice-at-123", Secret.of("pw"), null, null, null))
                .isInstanceOf(GitAuth.Basic.class);
        assertThat(GitAuth.choose(SSH, null, null, null, null, Secret.of("k"), null, null))
                .isInstanceOf(GitAuth.SshKey.class);
        assertThat(GitAuth.choose(CodeCommitUrl.parse("/srv/git/r.git"), null, null, null, null, null, null, null))
                .isInstanceOf(GitAuth.Anonymous.class);
    }

    @Test
    void toStringOfEveryAuthHidesItsSecrets() {
        String secretKey = KEYS.secretAccessKey().reveal();
        assertThat(new GitAuth.Iam(KEYS, "us-east-1").toString()).doesNotContain(secretKey);
        assertThat(new GitAuth.Basic("u", Secret.of("hunter2hunter2")).toString())
                .doesNotContain("hunter2");
        assertThat(new GitAuth.SshKey(
                                Secret.of("-----BEGIN RSA PRIVATE KEY-----\nAAAA"), Secret.of("pass-phrase"), null)
                        .toString())
                .doesNotContain("BEGIN RSA")
                .doesNotContain("pass-phrase");
    }
}
