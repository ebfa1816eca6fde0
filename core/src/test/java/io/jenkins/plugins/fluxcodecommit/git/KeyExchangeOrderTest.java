package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.ssh.KeyExchangeOrder;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which key exchange the engine's SSH connections negotiate with the CodeCommit-faithful server,
 * as the server saw it: the post-quantum ML-KEM hybrid when offered, else the next one the server
 * has, in OpenSSH 10's order.
 */
class KeyExchangeOrderTest {
    private final CodeCommitSshServer server = new CodeCommitSshServer();
    private SshKeyPair key;
    private String keyId;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        server.start();
        key = SshKeyPair.generateRsa(2048);
        keyId = GitAccessSshTest.newKeyId();
        server.registerKey(keyId, key.publicKey());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void theOrderIsOpenSsh10sAndProposesNothingMinaWouldNot() {
        List<String> minaDefault =
                NamedResource.getNameList(SshClient.setUpDefaultClient().getKeyExchangeFactories());
        assertThat(KeyExchangeOrder.names())
                .startsWith("mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com")
                .contains("curve25519-sha256")
                .allMatch(minaDefault::contains)
                .noneMatch(name -> name.endsWith("-sha1"));
    }

    @Test
    void everyConnectionOfAScanCloneAndPushNegotiatesMlKem768X25519() throws Exception {
        cloneAndPush("ml-kem", null);
        assertThat(server.keyExchanges()).isNotEmpty().containsOnly("mlkem768x25519-sha256");
    }

    @Test
    void aServerWithoutMlKemGetsSntrup761AndTheConnectionWorks() throws Exception {
        server.offerOnlyKeyExchanges("curve25519-sha256", "sntrup761x25519-sha512");
        cloneAndPush("sntrup", null);
        assertThat(server.keyExchanges()).isNotEmpty().containsOnly("sntrup761x25519-sha512");
    }

    @Test
    void aServerWithOnlyAClassicalExchangeStillGetsIn() throws Exception {
        server.offerOnlyKeyExchanges("ecdh-sha2-nistp256");
        cloneAndPush("classical", server.knownHostsLine());
        assertThat(server.keyExchanges()).isNotEmpty().containsOnly("ecdh-sha2-nistp256");
    }

    /** Scans the host key when {@code knownHosts} is null, clones, commits and pushes. */
    private void cloneAndPush(String name, String knownHosts) throws Exception {
        String repo = server.createRepository(name);
        GitAuth auth = new GitAuth.SshKey(key.privateKeyPem(null), null, knownHosts);
        CodeCommitUrl url = CodeCommitUrl.parse(server.url(keyId, repo)).asCodeCommit("us-east-1");
        Path dir = tmp.resolve(name);
        try (GitAccess access = GitAccess.builder(url, auth).open();
                Checkout checkout = access.cloneBranch(dir, "main")) {
            Files.writeString(dir.resolve("README.md"), name);
            access.commitAll(checkout, "readme", GitAccess.author("Flux", "", Clock.systemUTC()))
                    .orElseThrow();
            access.push(checkout);
        }
        try (var remote = server.open(repo)) {
            assertThat(remote.resolve("refs/heads/main")).isNotNull();
        }
    }
}
