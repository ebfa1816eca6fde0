package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite: every case in {@code src/test/resources/bad-input/} runs the command line
 * against real local servers (CodeCommit-faithful Git over HTTPS and SSH, moto's IAM and STS, a
 * real kube-apiserver) and must exit with its documented code, say what was wrong and how to fix
 * it on stderr, show no stack trace, class name or secret, and change nothing anywhere.
 */
class BadInputSuiteTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1");

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    static final Path CASES = Path.of("src/test/resources/bad-input");
    static final Path TROUBLESHOOTING = Path.of("../docs/troubleshooting.md");

    /** Canary secrets: none may appear in any output. */
    private static final String ADMIN_SECRET = "SuiteAdminCanarySecret0123456789abcdefgh";

    private static final String ADMIN_KEY_ID = "AKIAADMINADMINADMIN1";
    private static final Pattern STACK_OR_CLASS = Pattern.compile(
            "^\\s+at [\\w.$]+\\(|\\b[A-Z]\\w*(Exception|Error)\\b|\\b(java|javax|sun|software\\.amazon|io\\.fabric8"
                    + "|org\\.eclipse|org\\.apache|com\\.fasterxml)\\.[a-z]\\w*\\.",
            Pattern.MULTILINE);

    @TempDir
    static Path shared;

    private static final Map<String, String> values = new HashMap<>();
    private static final List<String> canaries = new ArrayList<>();
    private static final List<Supplier<Repository>> repositories = new ArrayList<>();

    @BeforeAll
    static void fixture() throws Exception {
        AwsKeys admin = AwsKeys.of(ADMIN_KEY_ID, ADMIN_SECRET);
        HTTPS.registerKey(admin, Permission.PULL, Permission.PUSH);
        HTTPS.createRepository("fleet");
        seed(() -> open(HTTPS::open, "fleet"));
        repositories.add(() -> open(HTTPS::open, "fleet"));

        AwsKeys user = MOTO.createUserWithKey("suite-user");
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        String sshKeyId;
        try (var iam = MOTO.adminIam()) {
            sshKeyId = iam.uploadSSHPublicKey(b -> b.userName("suite-user").sshPublicKeyBody(key.publicKeyOpenSsh()))
                    .sshPublicKey()
                    .sshPublicKeyId();
        }
        SSH.trustIam(MOTO, "suite-user");
        SSH.createRepository("fleet");
        seed(() -> open(SSH::open, "fleet"));
        repositories.add(() -> open(SSH::open, "fleet"));

        Path fileRepo = shared.resolve("file-fleet.git");
        Git.init()
                .setBare(true)
                .setDirectory(fileRepo.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        seed(() -> open(
                n -> new FileRepositoryBuilder().setGitDir(fileRepo.toFile()).build(), ""));
        repositories.add(() -> open(
                n -> new FileRepositoryBuilder().setGitDir(fileRepo.toFile()).build(), ""));

        try (KubeConnection kube = CLUSTER.connect()) {
            Clusters.keySecret(kube.client(), "apps", user);
            Clusters.namespace(kube.client(), "flux-system");
            kube.client()
                    .secrets()
                    .inNamespace("flux-system")
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("flux-system")
                            .endMetadata()
                            .addToStringData("identity", key.privateKeyPem().reveal())
                            .addToStringData("identity.pub", key.publicKeyOpenSsh())
                            .addToStringData("known_hosts", SSH.knownHostsLine())
                            .build())
                    .create();
        }

        values.put("httpsUrl", HTTPS.url("fleet"));
        values.put("sshUrl", SSH.url(sshKeyId, "fleet"));
        values.put("sshKeyId", sshKeyId);
        values.put("sshHost", "[127.0.0.1]:" + SSH.port());
        values.put("otherPublicKey", key.publicKeyOpenSsh().strip());
        values.put("sshKeyFile", write("id_rsa", key.privateKeyPem().reveal()));
        values.put("knownHostsFile", write("known_hosts", SSH.knownHostsLine() + "\n"));
        values.put("fileUrl", fileRepo.toString());
        values.put("kubeconfig", write("kubeconfig", twoContexts(CLUSTER.kubeconfig("test"))));
        values.put("kubeApiUrl", CLUSTER.url().toString());
        values.put("moto", MOTO.endpoint().toString());
        values.put("accessKeyId", ADMIN_KEY_ID);
        values.put("secretKeyFile", write("admin-secret", ADMIN_SECRET + "\n"));
        values.put("iamUser", "suite-user");
        values.put("userKeyId", user.accessKeyId());
        values.put("manifests", System.getProperty("flux.sample.manifests"));
        canaries.add(ADMIN_SECRET);
        canaries.add(user.secretAccessKey().reveal());
        canaries.add(key.privateKeyPem().reveal().lines().skip(2).findFirst().orElseThrow());
    }

    @Test
    void theSnapshotSeesTheRepositoriesTheClusterAndIam() {
        assertThat(snapshot().entries().keySet())
                .anyMatch(k -> k.startsWith("git ") && k.endsWith(" refs/heads/main"))
                .contains("kube v1 secrets apps/codecommit", "kube v1 secrets flux-system/flux-system")
                .contains("iam access-key suite-user " + value("userKeyId"));
    }

    @Test
    void theFixtureAcceptsTheGoodCommandsTheCasesSpoil() {
        assertThat(run(
                        Map.of(),
                        "check",
                        "--region",
                        "us-east-1",
                        "--access-key-id",
                        ADMIN_KEY_ID,
                        "--sts-endpoint",
                        value("moto"),
                        value("httpsUrl")))
                .isZero();
        assertThat(run(
                        Map.of(),
                        "check",
                        "--private-key-file",
                        value("sshKeyFile"),
                        "--known-hosts-file",
                        value("knownHostsFile"),
                        value("sshUrl")))
                .isZero();
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsRefusedWithItsExitCodeAMessageAndAFixAndChangesNothing() {
        return BadInputCase.load(CASES).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    @Test
    void theTroubleshootingTableListsEveryCase() throws IOException {
        String generated = TroubleshootingTable.render(BadInputCase.load(CASES));
        String doc = Files.readString(TROUBLESHOOTING);
        if (Boolean.getBoolean("badinput.regenerate")) {
            Files.writeString(TROUBLESHOOTING, TroubleshootingTable.replace(doc, generated));
            doc = Files.readString(TROUBLESHOOTING);
        }
        assertThat(TroubleshootingTable.section(doc))
                .as("docs/troubleshooting.md is generated from the bad-input cases:"
                        + " ./mvnw -pl cli -am verify -Dtest=BadInputSuiteTest -Dbadinput.regenerate=true"
                        + " -Dsurefire.failIfNoSpecifiedTests=false")
                .isEqualTo(generated);
    }

    private void check(BadInputCase c) throws Exception {
        Path dir = Files.createTempDirectory(shared, "case");
        Files.createDirectories(dir.resolve("home"));
        c.writeFiles(values, dir);
        List<String> args = new ArrayList<>();
        c.args().forEach(a -> args.add(BadInputCase.expand(a, values, dir)));
        if (args.get(0).equals("bootstrap") && !args.contains("--manifests")) {
            // The release is the offline sample unless the case is about --manifests.
            args.addAll(List.of("--manifests", value("manifests")));
        }
        Map<String, String> env = new HashMap<>();
        c.env().forEach((k, v) -> env.put(k, BadInputCase.expand(v, values, dir)));
        env.putIfAbsent("HOME", dir.resolve("home").toString());

        WorldSnapshot before = snapshot();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), base(env));
        WorldSnapshot after = snapshot();

        String transcript = "args: " + args + "\nstdout:\n" + out + "\nstderr:\n" + err;
        assertThat(code).as(transcript).isEqualTo(c.exit());
        String errors = lines(err.toString(), "error: ");
        String fixes = lines(err.toString(), "fix: ");
        assertThat(errors).as(transcript).isNotEmpty();
        c.says().forEach(s -> assertThat(errors).as(transcript).contains(BadInputCase.expand(s, values, dir)));
        assertThat(fixes).as(transcript).contains(BadInputCase.expand(c.fix(), values, dir));
        assertThat(STACK_OR_CLASS.matcher(out + "\n" + err).find())
                .as("a stack trace or class name in\n" + transcript)
                .isFalse();
        canaries.forEach(
                s -> assertThat(out + "\n" + err).as("a secret in the output").doesNotContain(s));
        assertThat(after.changesSince(before)).as("what changed\n" + transcript).isEmpty();
    }

    private static Map<String, String> base(Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET);
        all.put("AWS_REGION", "us-east-1");
        all.putAll(env);
        return all;
    }

    private static int run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> all = base(env);
        all.put("HOME", shared.resolve("home").toString());
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), all);
        assertThat(err.toString())
                .as("stderr of a good command; stdout:\n" + out)
                .isEmpty();
        return code;
    }

    private static WorldSnapshot snapshot() {
        try (KubeConnection kube = CLUSTER.connect();
                var iam = MOTO.adminIam()) {
            return WorldSnapshot.take(repositories, kube.client(), iam);
        }
    }

    private static String lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
    }

    private static String value(String key) {
        return values.get(key);
    }

    private static String write(String name, String content) throws IOException {
        Path file = shared.resolve(name);
        Files.writeString(file, content);
        return file.toString();
    }

    /** The kubeconfig with a second context, {@code other}, for the same server and user. */
    private static String twoContexts(String kubeconfig) {
        return kubeconfig.replace("contexts:\n", "contexts:\n- name: other\n  context: {cluster: test, user: admin}\n");
    }

    @FunctionalInterface
    interface Opener {
        Repository open(String name) throws IOException;
    }

    private static Repository open(Opener opener, String name) {
        try {
            return opener.open(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One commit on main, so that every repository has a branch to clone. */
    private static void seed(Supplier<Repository> bare) throws Exception {
        Path work = Files.createTempDirectory(shared, "seed");
        String target;
        try (Repository repo = bare.get()) {
            target = repo.getDirectory().toString();
        }
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("README.md"), "fleet\n");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("seed")
                    .setAuthor("Seed", "seed@example.com")
                    .setCommitter("Seed", "seed@example.com")
                    .call();
            git.push().setRemote(target).add("main").call();
        }
    }
}
