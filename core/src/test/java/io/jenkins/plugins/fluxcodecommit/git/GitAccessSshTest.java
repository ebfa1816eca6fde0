package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.KnownHosts;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.KeyFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Git over SSH with the IAM SSH key ID as user, against the CodeCommit-faithful SSH server. */
class GitAccessSshTest {
    private static final String REGION = "us-east-1";
    private static final Secret PASSPHRASE = Secret.of("open sesame 42");

    @RegisterExtension
    static final CodeCommitSshServer SERVER = new CodeCommitSshServer();

    private static SshKeyPair key;
    private static String keyId;

    @TempDir
    Path tmp;

    @BeforeAll
    static void uploadKey() {
        key = SshKeyPair.generateRsa(2048);
        keyId = newKeyId();
        SERVER.registerKey(keyId, key.publicKey());
    }

    static String newKeyId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("APKA");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static CodeCommitUrl url(String user, String repo) {
        // A loopback host is not a CodeCommit host name: apply CodeCommit's rules explicitly.
        return CodeCommitUrl.parse(SERVER.url(user, repo)).asCodeCommit(REGION);
    }

    private String roundTrip(GitAccess access, String repo) throws IOException {
        Path dir = tmp.resolve(repo + System.nanoTime());
        try (Checkout checkout = access.cloneBranch(dir, "main")) {
            Files.writeString(dir.resolve("README.md"), "fleet " + repo);
            String commit = access.commitAll(checkout, "readme", GitAccess.author("Flux", "", Clock.systemUTC()))
                    .orElseThrow();
            assertThat(access.push(checkout).commit()).isEqualTo(commit);
        }
        try (Repository remote = SERVER.open(repo)) {
            return remote.resolve("refs/heads/main").name();
        }
    }

    @Test
    void cloneAndPushWithAPassphraseProtectedPemKeyAndGivenKnownHosts() throws IOException {
        String repo = SERVER.createRepository("pem-encrypted");
        GitAuth auth = new GitAuth.SshKey(key.privateKeyPem(PASSPHRASE), PASSPHRASE, SERVER.knownHostsLine());
        int before = SERVER.attempts().size();
        try (GitAccess access = GitAccess.builder(url(keyId, repo), auth).open()) {
            String head = roundTrip(access, repo);
            assertThat(access.lsRemote().branches()).containsEntry("main", head);
        }
        assertThat(SERVER.attempts().subList(before, SERVER.attempts().size()))
                .isNotEmpty()
                .allMatch(a -> a.user().equals(keyId) && a.accepted());
    }

    @Test
    void cloneAndPushWithAnOpenSshFormatKeyAndAScannedHostKey() throws IOException {
        String repo = SERVER.createRepository("openssh");
        GitAuth auth = new GitAuth.SshKey(KeyFormats.openSsh(key.keyPair(), null), null, null);
        try (GitAccess access = GitAccess.builder(url(keyId, repo), auth).open()) {
            roundTrip(access, repo);
            // The scan records what Flux would put in known_hosts: [host]:port keytype base64.
            assertThat(access.knownHosts().strip()).isEqualTo(SERVER.knownHostsLine());
        }
    }

    @Test
    void iamUserNameAsSshUserIsRefusedWithWhereToFindTheKeyId() {
        assertThatThrownBy(() -> url("codecommit_user", "any"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSH user 'codecommit_user'")
                .hasMessageContaining("not an SSH key ID")
                .hasMessageContaining("aws iam list-ssh-public-keys --user-name codecommit_user");
    }

    @Test
    void changedHostKeyIsFatalAndShowsBothFingerprints() throws IOException {
        String repo = SERVER.createRepository("mitm");
        SshKeyPair impostor = SshKeyPair.generateRsa(2048);
        String knownHosts = "[127.0.0.1]:" + SERVER.port() + " " + impostor.publicKeyOpenSsh();
        GitAuth auth = new GitAuth.SshKey(key.privateKeyPem(), null, knownHosts);
        try (GitAccess access = GitAccess.builder(url(keyId, repo), auth).open()) {
            assertThatThrownBy(access::lsRemote)
                    .isInstanceOf(HostKeyMismatchException.class)
                    .hasMessageContaining(KnownHosts.fingerprint(SERVER.hostKey()))
                    .hasMessageContaining(impostor.fingerprintSha256());
        }
    }

    @Test
    void knownHostsWithoutTheHostIsRefused() {
        String knownHosts = "git-codecommit.us-east-1.amazonaws.com " + key.publicKeyOpenSsh();
        GitAuth auth = new GitAuth.SshKey(key.privateKeyPem(), null, knownHosts);
        assertThatThrownBy(() -> GitAccess.builder(url(keyId, "any"), auth).open())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no key for [127.0.0.1]:" + SERVER.port())
                .hasMessageContaining("git-codecommit.us-east-1.amazonaws.com");
    }

    @Test
    void keyNotUploadedForThatKeyIdIsAccessDeniedNamingTheKeyId() throws IOException {
        String repo = SERVER.createRepository("wrong-key");
        SshKeyPair other = SshKeyPair.generateRsa(2048);
        GitAuth auth = new GitAuth.SshKey(other.privateKeyPem(), null, SERVER.knownHostsLine());
        try (GitAccess access = GitAccess.builder(url(keyId, repo), auth).open()) {
            assertThatThrownBy(access::lsRemote)
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("SSH user " + keyId + " is the ID of an SSH public key");
        }
    }

    @Test
    void inactiveSshKeyIsAccessDenied() throws IOException {
        SshKeyPair retired = SshKeyPair.generateRsa(2048);
        String retiredId = newKeyId();
        SERVER.registerKey(retiredId, retired.publicKey());
        SERVER.setActive(retiredId, false);
        String repo = SERVER.createRepository("inactive");
        GitAuth auth = new GitAuth.SshKey(retired.privateKeyPem(), null, SERVER.knownHostsLine());
        try (GitAccess access = GitAccess.builder(url(retiredId, repo), auth).open()) {
            assertThatThrownBy(access::lsRemote).isInstanceOf(AccessDeniedException.class);
        }
    }

    @Test
    void smallRsaKeyIsRefusedForCodeCommitBeforeConnecting() {
        SshKeyPair small = SshKeyPair.generateRsa(1024);
        GitAuth auth = new GitAuth.SshKey(small.privateKeyPem(), null, SERVER.knownHostsLine());
        assertThatThrownBy(() -> GitAccess.builder(url(keyId, "any"), auth).open())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least 2048");
    }
}
