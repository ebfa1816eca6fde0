package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1");

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    }

    @Test
    void listsBranchesAndTheIdentityOverHttpsWithIam() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-check-user");
        HTTPS.registerKey(keys, Permission.PULL, Permission.PUSH);
        String url = HTTPS.createRepository("cli-fleet");
        try (AwsClients aws = new AwsClients(AwsSettings.defaults(), new Redactor(), Map.of());
                GitAccess access = GitAccess.builder(CodeCommitUrl.parse(url), new GitAuth.Iam(keys, "us-east-1"))
                        .aws(aws)
                        .open();
                Checkout checkout = access.cloneBranch(tmp.resolve("seed"), "main")) {
            Files.writeString(tmp.resolve("seed/README.md"), "fleet");
            access.commitAll(checkout, "seed", GitAccess.author("Flux", "", Clock.systemUTC()));
            access.push(checkout);
        }

        int code = run(
                Map.of("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey().reveal()),
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                keys.accessKeyId(),
                "--sts-endpoint",
                MOTO.endpoint().toString(),
                url);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Access key: " + keys.accessKeyId())
                .contains("AWS ARN:    arn:aws:iam::123456789012:user/cli-check-user")
                .containsPattern("  main [0-9a-f]{40}")
                .doesNotContain(keys.secretAccessKey().reveal());
    }

    @Test
    void checksSshAccessWithAKeyFileAndPrintsTheScannedHost() throws Exception {
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        SSH.registerKey("APKACLICHECK00000001", key.publicKey());
        SSH.createRepository("cli-ssh");
        Path keyFile = tmp.resolve("id_rsa");
        Files.writeString(keyFile, key.privateKeyPem().reveal());

        int code = run(
                Map.of(),
                "check",
                "--private-key-file",
                keyFile.toString(),
                SSH.url("APKACLICHECK00000001", "cli-ssh"));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Scanned the SSH host key of [127.0.0.1]:" + SSH.port())
                .contains("Identity:   SSH key ID APKACLICHECK00000001 (" + key.fingerprintSha256() + ")")
                .contains("none (the repository is empty)");
    }

    @Test
    void inputErrorsExitWithCodeTwoAndAFixWithoutStackTrace() {
        int code = run(Map.of(), "check", "ssh://alice@git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet");
        assertThat(code).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .startsWith("error: SSH user 'alice'")
                .contains("fix: Use the key ID")
                .doesNotContain("\tat ");
    }

    @Test
    void accessKeyWithoutSecretIsAnInputError() {
        int code = run(
                Map.of(),
                "check",
                "--access-key-id",
                "AKIAIOSFODNN7EXAMPLE",
                "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet");
        assertThat(code).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString()).contains("without its secret key").contains("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void helpReadsLikeACommand() {
        assertThat(run(Map.of(), "check", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: flux-codecommit check").contains("--private-key-file");
    }
}
