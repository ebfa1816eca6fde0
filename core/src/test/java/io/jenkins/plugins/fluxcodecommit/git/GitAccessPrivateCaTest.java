package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git over HTTPS to a server whose certificate a private CA issued (a TLS proxy, a private
 * endpoint), which the JVM does not trust: it works only with that CA in the CA file.
 */
class GitAccessPrivateCaTest {
    private static final PrivateCa CA = new PrivateCa("Corporate Proxy CA");

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final CodeCommitHttpsServer SERVER = new CodeCommitHttpsServer("us-east-1", CA.serverKeyStore());

    @TempDir
    Path tmp;

    private GitAccess open(AwsClients aws, String url, AwsKeys keys) {
        return GitAccess.builder(CodeCommitUrl.parse(url), new GitAuth.Iam(keys, "us-east-1"))
                .aws(aws)
                .redactor(new Redactor())
                .open();
    }

    private AwsClients aws(String caFile) {
        return new AwsClients(
                AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()).withCaFile(caFile), new Redactor(), Map.of());
    }

    @Test
    void withoutTheCaFileTheServerIsUntrustedAndTheFixNamesCaFile() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("private-ca-none");
        SERVER.registerKey(keys, Permission.PULL);
        String url = SERVER.createRepository("untrusted");

        try (AwsClients aws = aws(null);
                GitAccess git = open(aws, url, keys)) {
            assertThatThrownBy(git::lsRemote)
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("The TLS certificate of 127.0.0.1:"
                            + CodeCommitUrl.parse(url).port()
                            + " is not trusted: no CA in the JVM's trust store issued it.")
                    .hasMessageContaining("--ca-file FILE (Jenkins steps: caFile)")
                    .hasMessageNotContaining("DNS")
                    .hasMessageNotContaining("Exception");
        }
        assertThat(SERVER.accesses()).noneMatch(a -> a.repository().contains("untrusted"));
    }

    @Test
    void withTheCaFileCloneAndPushWork() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("private-ca-given");
        SERVER.registerKey(keys, Permission.PULL, Permission.PUSH);
        String url = SERVER.createRepository("trusted");
        Path caFile = CA.writeCertificate(tmp.resolve("proxy-ca.pem"));

        try (AwsClients aws = aws(caFile.toString());
                GitAccess git = open(aws, url, keys);
                Checkout checkout = git.cloneBranch(tmp.resolve("clone"), "main")) {
            Files.writeString(checkout.directory().resolve("README.md"), "through the proxy");
            git.commitAll(checkout, "add README", GitAccess.author("Flux", "", Clock.systemUTC()));
            PushOutcome pushed = git.push(checkout);
            assertThat(git.lsRemote().branches()).containsEntry("main", pushed.commit());
        }
    }

    @Test
    void aCaFileOfAnotherCaIsNamedInTheError() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("private-ca-other");
        SERVER.registerKey(keys, Permission.PULL);
        String url = SERVER.createRepository("other-ca");
        Path otherCa = new PrivateCa("Some Other CA").writeCertificate(tmp.resolve("other.pem"));

        try (AwsClients aws = aws(otherCa.toString());
                GitAccess git = open(aws, url, keys)) {
            assertThatThrownBy(git::lsRemote)
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("no CA in the JVM's trust store or the CA file " + otherCa + " issued it")
                    .hasMessageContaining("Check that the CA file " + otherCa + " holds the root CA");
        }
    }
}
