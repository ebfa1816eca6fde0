package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.ssh.CodeCommitHostKeys;
import io.jenkins.plugins.fluxcodecommit.ssh.KnownHosts;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which host keys a Git connection over SSH trusts, against the CodeCommit-faithful SSH server. */
class HostKeyTrustTest {
    @RegisterExtension
    static final CodeCommitSshServer SERVER = new CodeCommitSshServer();

    static final String KEY_ID = "APKAHOSTKEYTRUST0001";
    static SshKeyPair key;

    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void uploadKey() {
        key = SshKeyPair.generateRsa(2048);
        SERVER.registerKey(KEY_ID, key.publicKey());
    }

    private static CodeCommitUrl url(String repo) {
        return CodeCommitUrl.parse(SERVER.url(KEY_ID, repo)).asCodeCommit("us-east-1");
    }

    private GitAccess.Builder builder(String repo, String knownHosts) {
        return GitAccess.builder(url(repo), new GitAuth.SshKey(key.privateKeyPem(), null, knownHosts))
                .listener(log::add);
    }

    @Test
    void aScannedHostKeyThatIsNotThePublishedOneIsRefusedBeforeAnyGitTraffic() {
        String published = "SHA256:eLMY1j0DKA4uvDZcl/KgtIayZANwX6t8+8isPtotBoY";
        int attempts = SERVER.attempts().size();
        assertThatThrownBy(() -> builder("any", null)
                        .publishedHostKeys(CodeCommitHostKeys.of(Map.of("127.0.0.1", Set.of(published))))
                        .open())
                .isInstanceOf(HostKeyMismatchException.class)
                .hasMessageContaining(KnownHosts.fingerprint(SERVER.hostKey()))
                .hasMessageContaining(published);
        assertThat(SERVER.attempts()).as("no authentication was tried").hasSize(attempts);
    }

    @Test
    void aScannedHostKeyThatIsThePublishedOneIsTrustedAndSaysSo() {
        String repo = SERVER.createRepositoryQuietly("published");
        try (GitAccess access = builder(repo, null)
                .publishedHostKeys(
                        CodeCommitHostKeys.of(Map.of("127.0.0.1", Set.of(KnownHosts.fingerprint(SERVER.hostKey())))))
                .open()) {
            assertThat(access.lsRemote().isEmpty()).isTrue();
        }
        assertThat(log).anyMatch(l -> l.contains("is the one AWS publishes for it"));
    }

    @Test
    void aHostThatIsNotCodeCommitIsTrustedOnFirstUseOnly() {
        String repo = SERVER.createRepositoryQuietly("tofu");
        try (GitAccess access = builder(repo, null).open()) {
            assertThat(access.knownHosts().strip()).isEqualTo(SERVER.knownHostsLine());
        }
        assertThat(log)
                .anyMatch(l -> l.startsWith("Scanned the SSH host key of [127.0.0.1]:" + SERVER.port()))
                .noneMatch(l -> l.contains("AWS publishes"));
    }

    @Test
    void anEmptyKnownHostsIsRefusedInsteadOfScanningTheHost() {
        assertThatThrownBy(() -> builder("any", " \n").open())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The known_hosts given is empty");
        assertThat(log).noneMatch(l -> l.startsWith("Scanned"));
    }

    @Test
    void anUnreadablePinIsRefusedNamingWhereItIs() {
        assertThatThrownBy(() -> builder("any", null)
                        .pinnedKnownHosts("not a known hosts line", "Secret flux-system/flux-system")
                        .open())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The known_hosts pinned in Secret flux-system/flux-system cannot be read")
                .hasMessageContaining("--accept-new-host-key");
    }

    @Test
    void aPinForAnotherHostLeavesThisHostToTheScan() {
        String repo = SERVER.createRepositoryQuietly("other-pin");
        String pin = "git.example.com " + SshKeyPair.generateRsa(2048).publicKeyOpenSsh();
        try (GitAccess access = builder(repo, null)
                .pinnedKnownHosts(pin, "Secret flux-system/flux-system")
                .open()) {
            assertThat(access.knownHosts().strip()).isEqualTo(SERVER.knownHostsLine());
        }
        assertThat(log).anyMatch(l -> l.contains("pins host keys for [git.example.com], not for [127.0.0.1]"));
    }
}
