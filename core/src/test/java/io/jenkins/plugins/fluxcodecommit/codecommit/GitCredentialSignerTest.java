package io.jenkins.plugins.fluxcodecommit.codecommit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The published git-remote-codecommit vectors (facts §1). */
class GitCredentialSignerTest {
    private static final Instant WHEN = Instant.parse("2017-12-24T11:53:20Z");
    private static final String PATH = "/v1/repos/test_repo";

    @Test
    void signsTheStandardHostLikeGitRemoteCodecommit() {
        GitHttpCredential credential = GitCredentialSigner.sign(
                AwsKeys.of("ACCESSACCESSACCESS00", "secret"),
                "us-west-2",
                "git-codecommit.us-west-2.amazonaws.com",
                PATH,
                WHEN);
        // The vector's key ID is "access", which AwsKeys would refuse as a key ID; the signature does not
        // depend on the key ID, so the vector's password must come out unchanged.
        assertThat(credential.password().reveal())
                .isEqualTo("20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a");
        assertThat(credential.username().reveal()).isEqualTo("ACCESSACCESSACCESS00");
    }

    @Test
    void signsAnyHostNameGiven() {
        GitHttpCredential credential = GitCredentialSigner.sign(
                AwsKeys.of("ACCESSACCESSACCESS00", "secret"), "us-west-2", "land.called.honahlee", PATH, WHEN);
        assertThat(credential.password().reveal())
                .isEqualTo("20171224T115320Za14a37a53035bbceb6e1748247b143124fe7326cdffd3d418236a592ce6158a0");
    }

    @Test
    void sessionTokenGoesIntoTheUserNameAndLeavesTheSignatureAlone() {
        GitHttpCredential withToken = GitCredentialSigner.sign(
                AwsKeys.of("ACCESSACCESSACCESS00", "secret", "token"),
                "us-west-2",
                "git-codecommit.us-west-2.amazonaws.com",
                PATH,
                WHEN);
        assertThat(withToken.username().reveal()).isEqualTo("ACCESSACCESSACCESS00%token");
        assertThat(withToken.password().reveal())
                .isEqualTo("20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a");
    }

    @Test
    void hostIsSignedInLowerCase() {
        var lower = GitCredentialSigner.sign(
                AwsKeys.of("ACCESSACCESSACCESS00", "secret"),
                "us-west-2",
                "git-codecommit.us-west-2.amazonaws.com",
                PATH,
                WHEN);
        var upper = GitCredentialSigner.sign(
                AwsKeys.of("ACCESSACCESSACCESS00", "secret"),
                "us-west-2",
                "GIT-CODECOMMIT.US-WEST-2.AMAZONAWS.COM",
                PATH,
                WHEN);
        assertThat(upper.password()).isEqualTo(lower.password());
    }

    @Test
    void credentialExpiresFifteenMinutesAfterSigning() {
        var credential = GitCredentialSigner.sign(
                AwsKeys.of("ACCESSACCESSACCESS00", "secret"),
                "us-west-2",
                "git-codecommit.us-west-2.amazonaws.com",
                PATH,
                WHEN);
        assertThat(credential.expiresAt()).isEqualTo(WHEN.plusSeconds(900));
        assertThat(credential.toString()).doesNotContain("b6df2d75").doesNotContain("secret");
    }
}
