package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.TlsProxy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-file}: a repository and STS behind a TLS proxy whose CA the JVM does not trust are
 * reached with the proxy's CA in the file, and the error without it says to give one.
 */
class CaFileOptionTest {
    private static final PrivateCa CA = new PrivateCa("Corporate Proxy CA");

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1", CA.serverKeyStore());

    private static TlsProxy sts;

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startProxy() throws Exception {
        sts = new TlsProxy(CA, MOTO.endpoint());
    }

    @AfterAll
    static void stopProxy() {
        sts.close();
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    }

    private int check(AwsKeys keys, String url, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "check",
                "--region",
                "us-east-1",
                "--access-key-id",
                keys.accessKeyId(),
                "--sts-endpoint",
                sts.endpoint().toString()));
        args.addAll(java.util.List.of(more));
        args.add(url);
        return run(Map.of("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey().reveal()), args.toArray(String[]::new));
    }

    @Test
    void checkReachesGitAndStsBehindAPrivateCaWithItsCaFile() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-ca-file");
        HTTPS.registerKey(keys, Permission.PULL);
        String url = HTTPS.createRepository("behind-proxy");
        Path caFile = CA.writeCertificate(tmp.resolve("proxy-ca.pem"));

        int code = check(keys, url, "--ca-file", caFile.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("AWS ARN:    arn:aws:iam::123456789012:user/cli-ca-file")
                .contains("none (the repository is empty)");
    }

    @Test
    void withoutTheCaFileTheErrorSaysToGiveOne() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-no-ca-file");
        HTTPS.registerKey(keys, Permission.PULL);
        String url = HTTPS.createRepository("untrusted-proxy");

        int code = check(keys, url);

        assertThat(code).isEqualTo(Main.EXIT_REMOTE);
        assertThat(err.toString())
                .contains("error: The TLS certificate of the STS endpoint " + sts.endpoint() + " is not trusted")
                .contains("fix: If a corporate TLS proxy or a private CA signs it, give that CA's certificate as a"
                        + " PEM file with --ca-file FILE")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Test
    void aMissingCaFileIsAnInputErrorBeforeAnythingIsWritten() {
        Path export = tmp.resolve("export");
        int code = run(
                Map.of(),
                "bootstrap",
                "--url",
                "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                "--export-dir",
                export.toString(),
                "--ca-file",
                tmp.resolve("missing.pem").toString());

        assertThat(code).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: The CA file " + tmp.resolve("missing.pem") + " does not exist.")
                .contains("fix: Give a PEM file with the CA certificate(s)");
        assertThat(Files.exists(export)).isFalse();
    }

    @Test
    void everyCommandTakesTheOption() {
        for (String command : new String[] {"check", "bootstrap", "rotate"}) {
            out.getBuffer().setLength(0);
            assertThat(run(Map.of(), command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("--ca-file=FILE").contains("PEM file of CA certificates");
        }
    }
}
