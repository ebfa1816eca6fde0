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
        // Its own user: clusters that share one are rotated, and refused, together.
        MOTO.createUserWithKey("cli-fleet-other-user");
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
                    user: cli-fleet-other-user
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
        assertThat(code).as("a secret that does not exist is an input error").isEqualTo(Main.EXIT_INPUT);
        assertThat(out.toString())
                .containsPattern("ok +ACCESS_KEY +AKIA\\w+ -> AKIA\\w+ +ROTATED")
                .containsPattern("missing-secret +ACCESS_KEY +\\(input error\\) +FAILED +\\d+ms");
        assertThat(out.toString()).as("the failure is not on stdout").doesNotContain("does not exist", "WARNING");
        assertThat(err.toString())
                .contains("error: missing-secret: secret nowhere/codecommit does not exist")
                .containsPattern("(?m)^fix: Check the target's namespace and name");
    }

    /** Defect 1 end to end: two clusters of a fleet file share an IAM user; both end on one new key, the old one gone. */
    @Test
    void aFleetWhoseClustersShareAnIamUserRotatesItOnceForAll() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-shared-user");
        seed("cli-shared-a", keys);
        seed("cli-shared-b", keys);
        Path kubeconfig = kubeconfig();
        Path fleet = tmp.resolve("shared.yaml");
        Files.writeString(fleet, """
                defaults:
                  kind: access-key
                clusters:
                  - name: eu
                    user: cli-shared-user
                    kubeconfig: %1$s
                    context: test
                    targets:
                      - secret: {namespace: cli-shared-a, name: codecommit, keys: {accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY}}
                  - name: us
                    user: cli-shared-user
                    kubeconfig: %1$s
                    context: test
                    targets:
                      - secret: {namespace: cli-shared-b, name: codecommit, keys: {accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY}}
                """.formatted(kubeconfig));
        int code = run(
                "rotate",
                "--fleet",
                fleet.toString(),
                "--force",
                "--region",
                "us-east-1",
                "--delete-after",
                "0s",
                "--deactivate-after",
                "0s",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString());
        assertThat(code).as(err.toString()).isZero();
        String newId = secretKeyId("cli-shared-a");
        assertThat(secretKeyId("cli-shared-b")).isEqualTo(newId).isNotEqualTo(keys.accessKeyId());
        assertThat(out.toString())
                .containsPattern("eu +ACCESS_KEY +" + keys.accessKeyId() + " -> " + newId + " +ROTATED")
                .containsPattern("us +ACCESS_KEY +" + keys.accessKeyId() + " -> " + newId + " +ROTATED");
        try (var iam = MOTO.adminIam()) {
            assertThat(iam.listAccessKeys(b -> b.userName("cli-shared-user")).accessKeyMetadata())
                    .extracting(k -> k.accessKeyId())
                    .containsExactly(newId);
        }
    }

    private Path kubeconfig() throws java.io.IOException {
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, CLUSTER.kubeconfig("test"));
        return kubeconfig;
    }

    private static String secretKeyId(String ns) {
        try (var kube = CLUSTER.connect()) {
            return new String(
                    java.util.Base64.getDecoder()
                            .decode(kube.client()
                                    .secrets()
                                    .inNamespace(ns)
                                    .withName("codecommit")
                                    .get()
                                    .getData()
                                    .get("AWS_ACCESS_KEY_ID")),
                    StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> annotations(String ns) {
        try (var kube = CLUSTER.connect()) {
            var a = kube.client()
                    .secrets()
                    .inNamespace(ns)
                    .withName("codecommit")
                    .get()
                    .getMetadata()
                    .getAnnotations();
            return a == null ? Map.of() : Map.copyOf(a);
        }
    }

    private static List<String> keyIds(String user) {
        try (var iam = MOTO.adminIam()) {
            return iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata().stream()
                    .map(k -> k.accessKeyId())
                    .toList();
        }
    }

    @Test
    void aMisspeltKeyInTheFleetFileExitsTwoNamingTheKeyItsLineAndTheKnownKeysAndChangesNothing() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-typo-user");
        seed("cli-typo", keys);
        Path fleet = tmp.resolve("fleet.yaml");
        Files.writeString(fleet, """
                defaults:
                  kind: access-key
                clusters:
                  - name: typo
                    maxAgeDay: 365
                    user: cli-typo-user
                    kubeconfig: %s
                    context: test
                    targets:
                      - secret: {namespace: cli-typo, name: codecommit, keys: {accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY}}
                """.formatted(kubeconfig()));
        int code = run(
                "rotate",
                "--fleet",
                fleet.toString(),
                "--region",
                "us-east-1",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString());
        assertThat(code).as(out + "\n" + err).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: fleet file fleet.yaml line 5: unknown key 'maxAgeDay' in cluster 'typo'")
                .contains("name, user, kind, maxAgeDays,")
                .contains("fix: Did you mean 'maxAgeDays'?");
        assertThat(keyIds("cli-typo-user")).containsExactly(keys.accessKeyId());
        assertThat(secretKeyId("cli-typo")).isEqualTo(keys.accessKeyId());
        assertThat(annotations("cli-typo")).isEmpty();
    }

    @Test
    void aCredentialFileInADirectoryThatDoesNotExistIsRefusedBeforeAnyChange() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("cli-nodir-user");
        seed("cli-nodir", keys);
        Path credential = tmp.resolve("no-such-dir/credential.env");
        int code = run(
                "rotate",
                "--kind",
                "access-key",
                "--user",
                "cli-nodir-user",
                "--kubeconfig",
                kubeconfig().toString(),
                "--context",
                "test",
                "--region",
                "us-east-1",
                "--force",
                "--secret",
                "cli-nodir/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,secretAccessKey=AWS_SECRET_ACCESS_KEY",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString(),
                "--write-credential",
                credential.toString());
        assertThat(code).as(out + "\n" + err).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: The directory of --write-credential " + credential + " does not exist")
                .contains("fix: Create it first (mkdir -p " + tmp.resolve("no-such-dir") + ")");
        assertThat(keyIds("cli-nodir-user")).containsExactly(keys.accessKeyId());
        assertThat(secretKeyId("cli-nodir")).isEqualTo(keys.accessKeyId());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} is refused: {2}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "--max-age-days   | -1  | --max-age-days is -1: a maximum age is 1 day or more",
                "--max-age-days   | 0   | --max-age-days is 0: a maximum age is 1 day or more",
                "--concurrency    | 0   | --concurrency is 0: between 1 and 100 clusters rotate at once",
                "--concurrency    | -3  | --concurrency is -3: between 1 and 100",
                "--verify-timeout | 0s  | --verify-timeout is 0s",
                "--delete-after   | -5m | '-5m' is a negative duration for --delete-after",
            })
    void aNumberOutOfRangeIsRefusedWithTheRangeBeforeAnyChange(String option, String value, String says)
            throws Exception {
        String user = "cli-range-user-" + Math.abs((option + value).hashCode());
        String ns = "cli-range-" + Math.abs((option + value).hashCode());
        AwsKeys keys = MOTO.createUserWithKey(user);
        seed(ns, keys);
        int code = run(
                "rotate",
                "--kind",
                "access-key",
                "--user",
                user,
                "--kubeconfig",
                kubeconfig().toString(),
                "--context",
                "test",
                "--region",
                "us-east-1",
                "--secret",
                ns + "/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,secretAccessKey=AWS_SECRET_ACCESS_KEY",
                "--access-key-id",
                "AKIAADMINADMINADMIN1",
                "--iam-endpoint",
                MOTO.endpoint().toString(),
                "--sts-endpoint",
                MOTO.endpoint().toString(),
                option,
                value);
        assertThat(code).as(out + "\n" + err).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString()).contains("error: " + says).contains("fix: ");
        assertThat(keyIds(user)).containsExactly(keys.accessKeyId());
    }

    /**
     * The rotating identity may list keys but not create them, enforced by moto's own IAM policy
     * evaluation (whose denials the SDK finds no error code in): exit 3 naming the action and the
     * identity, and nothing half-done: IAM as it was, no rotation state on the secret.
     */
    @Test
    void aCreateAccessKeyDeniedByIamExitsThreeNamingTheActionAndTheIdentityAndLeavesNoState() throws Exception {
        MotoServer strict = MotoServer.standalone();
        try {
            AwsKeys keys = strict.createUserWithKey("cli-denied-user");
            AwsKeys rotator = strict.createUserWithKey("cli-rotator");
            try (var iam = strict.adminIam()) {
                iam.putUserPolicy(
                        b -> b.userName("cli-rotator")
                                .policyName("list-only")
                                .policyDocument(
                                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                                + "\"Action\":[\"iam:ListAccessKeys\",\"iam:GetAccessKeyLastUsed\"],\"Resource\":\"*\"}]}"));
            }
            seed("cli-denied", keys);
            strict.enforceIamPolicies(true);
            int code;
            try {
                code = Main.run(
                        new String[] {
                            "rotate",
                            "--kind",
                            "access-key",
                            "--user",
                            "cli-denied-user",
                            "--kubeconfig",
                            kubeconfig().toString(),
                            "--context",
                            "test",
                            "--region",
                            "us-east-1",
                            "--force",
                            "--secret",
                            "cli-denied/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,secretAccessKey=AWS_SECRET_ACCESS_KEY",
                            "--access-key-id",
                            rotator.accessKeyId(),
                            "--iam-endpoint",
                            strict.endpoint().toString(),
                            "--sts-endpoint",
                            strict.endpoint().toString()
                        },
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        Map.of(
                                "AWS_SECRET_ACCESS_KEY",
                                rotator.secretAccessKey().reveal()));
            } finally {
                strict.enforceIamPolicies(false);
            }
            assertThat(code).as(out + "\n" + err).isEqualTo(Main.EXIT_ACCESS);
            assertThat(err.toString())
                    .contains("error: test: iam:CreateAccessKey on user cli-denied-user was denied to access key "
                            + rotator.accessKeyId())
                    .contains("fix: Allow iam:CreateAccessKey")
                    .doesNotContain("Exception", "\tat ");
            assertThat(out.toString()).containsPattern("test +ACCESS_KEY +\\(access denied\\) +FAILED");
            try (var iam = strict.adminIam()) {
                assertThat(iam.listAccessKeys(b -> b.userName("cli-denied-user"))
                                .accessKeyMetadata())
                        .extracting(k -> k.accessKeyId())
                        .containsExactly(keys.accessKeyId());
            }
            assertThat(annotations("cli-denied")).as("no rotation state left").isEmpty();
        } finally {
            strict.stop();
        }
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
                "--deactivate-after",
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
        // The dead process no longer renews its lease: it lapses within the lease's duration, and only then
        // may another run take the cluster over (no process-ID guess, which misfires in containers).
        awaitLeaseLapse("cli-killed", "codecommit");

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

    private static void awaitLeaseLapse(String ns, String secret) throws InterruptedException {
        try (var kube = CLUSTER.connect()) {
            var annotations = kube.client()
                    .secrets()
                    .inNamespace(ns)
                    .withName(secret)
                    .get()
                    .getMetadata()
                    .getAnnotations();
            String lease = annotations == null ? null : annotations.get("rotation.flux-codecommit.io/lock");
            if (lease == null) {
                return;
            }
            java.time.Instant expiry = java.time.Instant.parse(lease.split(" ")[1]);
            long wait =
                    java.time.Duration.between(java.time.Instant.now(), expiry).toMillis() + 200;
            assertThat(wait).as("a lease lapses within its 30s").isLessThan(31_000);
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
    }
}
