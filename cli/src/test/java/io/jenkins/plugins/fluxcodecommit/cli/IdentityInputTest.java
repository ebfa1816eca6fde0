package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity inputs of the command line as users get them wrong: files that are not what they should
 * be, keys without their other half, an STS endpoint that cannot be reached. Each error names the
 * file or option and the fix, and never a Java class.
 */
class IdentityInputTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1");

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    private static final String UNREACHABLE = "http://127.0.0.1:1";

    private static AwsKeys keys;
    private static String httpsUrl;

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void repository() throws Exception {
        keys = MOTO.createUserWithKey("cli-identity-input");
        HTTPS.registerKey(keys, Permission.PULL);
        httpsUrl = HTTPS.createRepository("identity-input");
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    }

    private Path file(String name, byte[] content) throws Exception {
        Path file = tmp.resolve(name);
        Files.write(file, content);
        return file;
    }

    private Path file(String name, String content) throws Exception {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private void assertInputError(int code, String... says) {
        assertThat(code).as(err.toString()).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString()).contains(says).contains("fix: ").doesNotContain("Exception", "\tat ");
    }

    @Test
    void aSecretKeyFileWithAByteOrderMarkIsReadWithoutIt() throws Exception {
        Path secret = file("secret", "\uFEFF" + keys.secretAccessKey().reveal() + "\r\n");

        int code = run(
                Map.of(),
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                keys.accessKeyId(),
                "--secret-access-key-file",
                secret.toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString(),
                httpsUrl);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Access key: " + keys.accessKeyId());
    }

    @Test
    void aPrivateKeyFileWithAByteOrderMarkIsReadWithoutIt() throws Exception {
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        SSH.registerKey("APKACLIBOMKEY0000001", key.publicKey());
        SSH.createRepository("identity-bom");
        Path keyFile = file("id_rsa", "\uFEFF" + key.privateKeyPem().reveal());

        int code = run(
                Map.of(),
                "check",
                "--private-key-file",
                keyFile.toString(),
                SSH.url("APKACLIBOMKEY0000001", "identity-bom"));

        assertThat(code).as(err.toString()).isZero();
    }

    @Test
    void randomBytesInASecretKeyFileAreAnInputErrorNamingTheFile() throws Exception {
        Path secret = file("secret.bin", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0x00, (byte) 0x9F, 0x41});

        int code = run(
                Map.of(),
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                keys.accessKeyId(),
                "--secret-access-key-file",
                secret.toString(),
                httpsUrl);

        assertInputError(code, secret.toString(), "--secret-access-key-file", "is not text");
        assertThat(err.toString()).doesNotContain("Malformed");
    }

    @Test
    void randomBytesInAPrivateKeyFileAreAnInputErrorNamingTheFile() throws Exception {
        Path key = file("id_rsa", new byte[] {(byte) 0x30, (byte) 0x82, (byte) 0xFF, (byte) 0xFE, 0x01});

        int code = run(Map.of(), "check", "--private-key-file", key.toString(), SSH.url("APKACLIBOMKEY0000001", "x"));

        assertInputError(code, key.toString(), "--private-key-file", "is not text", "openssl");
    }

    @Test
    void aDirectoryGivenAsPrivateKeyFileIsAnInputError() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve(".ssh"));

        int code = run(Map.of(), "check", "--private-key-file", dir.toString(), SSH.url("APKACLIBOMKEY0000001", "x"));

        assertInputError(code, dir.toString(), "is a directory");
    }

    @Test
    void aMissingPasswordFileSaysItDoesNotExist() {
        Path missing = tmp.resolve("no-such-password");

        int code = run(
                Map.of(),
                "check",
                "--region",
                "us-east-1",
                "--username",
                "fleet-at-123456789012",
                "--password-file",
                missing.toString(),
                httpsUrl);

        assertInputError(code, missing.toString(), "--password-file", "does not exist");
        assertThat(err.toString()).doesNotContain("NoSuchFile");
    }

    @Test
    void aSecretKeyFileWithoutItsKeyIdNamesTheMissingOption() throws Exception {
        Path secret = file("secret", keys.secretAccessKey().reveal() + "\n");

        int code = run(
                Map.of(),
                "check",
                "--region",
                "us-east-1",
                "--secret-access-key-file",
                secret.toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString(),
                httpsUrl);

        assertInputError(code, "--secret-access-key-file " + secret, "without --access-key-id");
        assertThat(err.toString()).doesNotContain("AwsCredentialsProviderChain", "Unable to load credentials");
    }

    @Test
    void aTemporaryKeyWithoutItsSessionTokenIsRefusedBeforeAnyCall() {
        int code = run(
                Map.of("AWS_SECRET_ACCESS_KEY", "canary-temporary-secret-0042"),
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                "ASIAIOSFODNN7EXAMPLE",
                "--sts-endpoint",
                UNREACHABLE,
                httpsUrl);

        assertInputError(code, "ASIAIOSFODNN7EXAMPLE is a temporary key", "no session token");
        assertThat(err.toString())
                .contains("--session-token-file FILE or $AWS_SESSION_TOKEN")
                .doesNotContain("canary-temporary-secret-0042", "127.0.0.1:1");
    }

    @Test
    void aLongTermKeyWithASessionTokenIsRefusedBeforeAnyCall() {
        int code = run(
                Map.of("AWS_SECRET_ACCESS_KEY", "canary-long-term-secret-0042", "AWS_SESSION_TOKEN", "leftover-token"),
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                "AKIAIOSFODNN7EXAMPLE",
                "--sts-endpoint",
                UNREACHABLE,
                httpsUrl);

        assertInputError(code, "AKIAIOSFODNN7EXAMPLE is a long-term IAM user key", "$AWS_SESSION_TOKEN");
        assertThat(err.toString()).doesNotContain("canary-long-term-secret-0042", "leftover-token");
    }

    @Test
    void anUnreachableStsEndpointIsARemoteErrorNamingItWhenKeysAreInTheEnvironment() {
        int code = run(
                Map.of(
                        "AWS_ACCESS_KEY_ID",
                        keys.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY",
                        keys.secretAccessKey().reveal()),
                "check",
                "--region",
                "us-east-1",
                "--sts-endpoint",
                UNREACHABLE,
                httpsUrl);

        assertThat(code).as(err.toString()).isEqualTo(Main.EXIT_REMOTE);
        assertThat(err.toString())
                .contains("Could not reach STS at " + UNREACHABLE + " (connection refused)")
                .contains("were found")
                .contains("fix: ")
                .contains("--sts-endpoint")
                .doesNotContain("No AWS credentials were found", "Exception", "\tat ")
                .doesNotContain(keys.secretAccessKey().reveal());
    }

    @Test
    void anUnreachableStsEndpointIsARemoteErrorNamingItWithAGivenKey() {
        int code = run(
                Map.of("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey().reveal()),
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                keys.accessKeyId(),
                "--sts-endpoint",
                UNREACHABLE,
                httpsUrl);

        assertThat(code).as(err.toString()).isEqualTo(Main.EXIT_REMOTE);
        assertThat(err.toString())
                .contains("Could not reach STS at " + UNREACHABLE + " (connection refused) for GetCallerIdentity")
                .doesNotContain("Could not obtain credentials", "Unable to execute HTTP request");
    }
}
