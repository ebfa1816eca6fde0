package io.jenkins.plugins.fluxcodecommit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scanned host keys against the fingerprints AWS publishes, with the local SSH server's real key. */
class CodeCommitHostKeysTest {
    @RegisterExtension
    static final CodeCommitSshServer SERVER = new CodeCommitSshServer();

    static PublicKey scanned;

    @BeforeAll
    static void scan() {
        scanned = HostKeyScanner.scan("127.0.0.1", SERVER.port(), Duration.ofSeconds(10))
                .key();
    }

    @Test
    void aScannedKeyThatIsNotThePublishedOneIsRefusedWithBothFingerprints() {
        String published = "SHA256:eLMY1j0DKA4uvDZcl/KgtIayZANwX6t8+8isPtotBoY";
        CodeCommitHostKeys table = CodeCommitHostKeys.of(Map.of("127.0.0.1", Set.of(published)));
        assertThatThrownBy(() -> table.check("127.0.0.1", SERVER.port(), scanned))
                .isInstanceOf(HostKeyMismatchException.class)
                .hasMessageContaining("[127.0.0.1]:" + SERVER.port())
                .hasMessageContaining(KnownHosts.fingerprint(SERVER.hostKey()))
                .hasMessageContaining(published)
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining(CodeCommitHostKeys.SOURCE);
    }

    @Test
    void aScannedKeyWithAPublishedFingerprintPasses() {
        CodeCommitHostKeys table =
                CodeCommitHostKeys.of(Map.of("127.0.0.1", Set.of(KnownHosts.fingerprint(SERVER.hostKey()))));
        assertThat(table.check("127.0.0.1", SERVER.port(), scanned)).isEqualTo(CodeCommitHostKeys.Verdict.PUBLISHED);
    }

    @Test
    void anMd5FingerprintIsComparedWithTheKeysMd5() {
        String md5 = KeyUtils.getFingerPrint(BuiltinDigests.md5, SERVER.hostKey());
        assertThat(md5).startsWith("MD5:");
        assertThat(CodeCommitHostKeys.of(Map.of("127.0.0.1", Set.of(md5))).check("127.0.0.1", 22, scanned))
                .isEqualTo(CodeCommitHostKeys.Verdict.PUBLISHED);
        assertThatThrownBy(() -> CodeCommitHostKeys.of(
                                Map.of("127.0.0.1", Set.of("MD5:00:8d:b5:55:6f:05:78:05:ed:ea:cb:3f:e6:f0:62:f2")))
                        .check("127.0.0.1", 22, scanned))
                .isInstanceOf(HostKeyMismatchException.class);
    }

    @Test
    void aHostThatIsNotCodeCommitIsLeftToTrustOnFirstUse() {
        assertThat(CodeCommitHostKeys.published().check("127.0.0.1", SERVER.port(), scanned))
                .isEqualTo(CodeCommitHostKeys.Verdict.NOT_CODECOMMIT);
        assertThat(CodeCommitHostKeys.published().check("git.example.com", 22, scanned))
                .isEqualTo(CodeCommitHostKeys.Verdict.NOT_CODECOMMIT);
    }

    @Test
    void theRealCodeCommitHostsAreCheckedAgainstAwsFingerprints() {
        CodeCommitHostKeys aws = CodeCommitHostKeys.published();
        assertThat(aws.fingerprints("git-codecommit.us-east-1.amazonaws.com"))
                .containsExactly("SHA256:eLMY1j0DKA4uvDZcl/KgtIayZANwX6t8+8isPtotBoY");
        assertThat(aws.fingerprints("GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM."))
                .containsExactly("SHA256:tKjRkOL8dmJyTmSbeSdN1S8F/f0iql3RlvqgTOP1UyQ");
        assertThat(aws.fingerprints("git-codecommit.cn-north-1.amazonaws.com.cn"))
                .hasSize(1);
        assertThatThrownBy(() -> aws.check("git-codecommit.us-east-1.amazonaws.com", 22, scanned))
                .isInstanceOf(HostKeyMismatchException.class)
                .hasMessageContaining("git-codecommit.us-east-1.amazonaws.com")
                .hasMessageContaining("SHA256:eLMY1j0DKA4uvDZcl/KgtIayZANwX6t8+8isPtotBoY");
    }

    @Test
    void codeCommitHostsWithoutAPublishedFingerprintAreNamedAsSuch() {
        CodeCommitHostKeys aws = CodeCommitHostKeys.published();
        assertThat(aws.check("git-codecommit-fips.us-east-1.amazonaws.com", 22, scanned))
                .isEqualTo(CodeCommitHostKeys.Verdict.UNPUBLISHED);
        assertThat(aws.check("git-codecommit.il-central-1.amazonaws.com", 22, scanned))
                .isEqualTo(CodeCommitHostKeys.Verdict.UNPUBLISHED);
    }

    @Test
    void everyPublishedSha256FingerprintHasTheLengthOfOne() {
        // A SHA256 fingerprint is 43 base64 characters; a shorter one could never match any key.
        Map<String, Set<String>> table = CodeCommitHostKeys.published().byHost();
        assertThat(table).hasSize(25);
        table.forEach((host, fingerprints) -> assertThat(fingerprints)
                .as(host)
                .allSatisfy(f -> assertThat(f).matches("SHA256:[A-Za-z0-9+/]{43}|MD5(:[0-9a-f]{2}){16}")));
        assertThat(CodeCommitHostKeys.published().fingerprints("git-codecommit.us-gov-east-1.amazonaws.com"))
                .allSatisfy(f -> assertThat(f).startsWith("MD5:"));
    }
}
