package io.jenkins.plugins.fluxcodecommit.bench;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The engine's SSH clone in a warm JVM against the CodeCommit-faithful SSH server, timed alone
 * (no cluster): {@code -Dn=} clones of a 300 KB file after one seed push. The evidence for
 * {@code SshNoDelay}: run it with and without {@code -Dorg.apache.sshd.config.tcp-nodelay=true}
 * in MAVEN_OPTS (the server keeps Nagle on either way).
 */
public final class SshCloneProbe {
    private SshCloneProbe() {}

    public static void main(String[] args) throws Exception {
        CodeCommitSshServer server = new CodeCommitSshServer();
        server.start();
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        server.registerKey("APKAPROBE00000000001", key.publicKey());
        String repo = server.createRepository("probe");
        CodeCommitUrl url =
                CodeCommitUrl.parse(server.url("APKAPROBE00000000001", repo)).asCodeCommit("us-east-1");
        GitAuth auth = new GitAuth.SshKey(key.privateKeyPem(null), null, server.knownHostsLine());
        Path tmp = Files.createTempDirectory("probe");
        try (GitAccess access = GitAccess.builder(url, auth).open();
                Checkout c = access.cloneBranch(tmp.resolve("seed"), "main")) {
            Files.writeString(tmp.resolve("seed/big.yaml"), "x: y\n".repeat(60000));
            access.commitAll(c, "seed", GitAccess.author("p", "", Clock.systemUTC()))
                    .orElseThrow();
            access.push(c);
        }
        for (int i = 0; i < Integer.getInteger("n", 30); i++) {
            long t0 = System.nanoTime();
            try (GitAccess access = GitAccess.builder(url, auth).open()) {
                long t1 = System.nanoTime();
                try (Checkout c = access.cloneBranch(tmp.resolve("c" + i), "main")) {
                    long t2 = System.nanoTime();
                    System.err.printf("open %5.1f ms  clone %6.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
                }
            }
        }
        server.stop();
    }
}
