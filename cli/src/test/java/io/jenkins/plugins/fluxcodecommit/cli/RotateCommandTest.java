package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RotateCommandTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private void seed(String ns, AwsKeys keys) {
        try (var kube = CLUSTER.connect()) {
            Clusters.keySecret(kube.client(), ns, keys);
        }
    }

    private int run(String... args) {
        return Main.run(
                args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("AWS_SECRET_ACCESS_KEY", "admin"));
    }

    @Test
    void rotatesOneClusterAndWritesTheCredentialFileOnlyWhenAsked() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-rotate-user");
        seed("cli-rotate", keys);
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, CLUSTER.kubeconfig("test"));
        Path credential = tmp.resolve("new-credential.env");
        int code = run(
                "rotate",
                "--kind",
                "access-key",
                "--user",
                "cli-rotate-user",
                "--kubeconfig",
                kubeconfig.toString(),
                "--context",
                "test",
                "--region",
                "us-east-1",
                "--force",
                "--secret",
                "cli-rotate/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,secretAccessKey=AWS_SECRET_ACCESS_KEY",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString(),
                "--write-credential",
                credential.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("CLUSTER")
                .containsPattern("test +ACCESS_KEY +" + keys.accessKeyId() + " -> AKIA\\w+ +ROTATED");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(credential))
                .startsWith("AWS_ACCESS_KEY_ID=AKIA")
                .contains("AWS_SECRET_ACCESS_KEY=");
        assertThat(out.toString())
                .doesNotContain(
                        Files.readString(credential).lines().toList().get(1).substring(22));
    }

    @Test
    void aFleetReportsEachClusterAndOneFailureStopsNothingElse() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-fleet-user");
        seed("cli-fleet-ok", keys);
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, CLUSTER.kubeconfig("test"));
        Path fleet = tmp.resolve("fleet.yaml");
        Files.writeString(fleet, """
                defaults:
                  kind: access-key
                clusters:
                  - name: ok
                    user: cli-fleet-user
                    kubeconfig: %1$s
                    context: test
                    targets:
                      - secret: {namespace: cli-fleet-ok, name: codecommit, keys: {accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY}}
                  - name: missing-secret
                    user: cli-fleet-user
                    kubeconfig: %1$s
                    context: test
                    targets:
                      - secret: {namespace: nowhere, name: codecommit, keys: {accessKeyId: A, secretAccessKey: S}}
                """.formatted(kubeconfig));
        int code = run(
                "rotate",
                "--fleet",
                fleet.toString(),
                "--force",
                "--region",
                "us-east-1",
                "--concurrency",
                "2",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString());
        assertThat(code).isEqualTo(Main.EXIT_REMOTE);
        assertThat(out.toString())
                .containsPattern("ok +ACCESS_KEY +AKIA\\w+ -> AKIA\\w+ +ROTATED")
                .containsPattern("missing-secret +ACCESS_KEY +.*does not exist.* +FAILED");
    }

    /** The CLI process killed (SIGKILL) right after it created the new key; a rerun converges. */
    @Test
    void aKilledCliProcessIsFinishedByTheNextRun() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-killed-user");
        seed("cli-killed", keys);
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, CLUSTER.kubeconfig("test"));
        List<String> args = List.of(
                "rotate",
                "--kind",
                "access-key",
                "--user",
                "cli-killed-user",
                "--kubeconfig",
                kubeconfig.toString(),
                "--context",
                "test",
                "--region",
                "us-east-1",
                "--delete-after",
                "0s",
                "--secret",
                "cli-killed/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,secretAccessKey=AWS_SECRET_ACCESS_KEY",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString());
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        command.add("--force");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "admin");
        Process process = builder.start();
        boolean killed = false;
        try (var lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.contains("Created ACCESS_KEY")) {
                    process.destroyForcibly();
                    killed = true;
                    break;
                }
            }
        }
        process.waitFor();
        assertThat(killed).as("the process reached the kill point").isTrue();

        String[] rerun = args.toArray(new String[0]);
        assertThat(run(java.util.stream.Stream.concat(
                                java.util.Arrays.stream(rerun), java.util.stream.Stream.of("--force"))
                        .toArray(String[]::new)))
                .as(err.toString())
                .isZero();
        try (var iam = MOTO.adminIam()) {
            var all = iam.listAccessKeys(b -> b.userName("cli-killed-user")).accessKeyMetadata();
            try (var kube = CLUSTER.connect()) {
                String held = new String(
                        java.util.Base64.getDecoder()
                                .decode(kube.client()
                                        .secrets()
                                        .inNamespace("cli-killed")
                                        .withName("codecommit")
                                        .get()
                                        .getData()
                                        .get("AWS_ACCESS_KEY_ID")),
                        StandardCharsets.UTF_8);
                assertThat(all)
                        .filteredOn(k -> k.statusAsString().equals("Active"))
                        .extracting(k -> k.accessKeyId())
                        .containsExactly(held);
                assertThat(all).hasSizeLessThanOrEqualTo(2);
            }
        }
    }
}
