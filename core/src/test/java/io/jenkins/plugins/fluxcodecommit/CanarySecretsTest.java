package io.jenkins.plugins.fluxcodecommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.git.Checkout;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.KeyFormats;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every Git flow, successful and failing, with canary secrets, and looks for them in the log
 * (progress messages and library logging), in exception messages and stack traces, in
 * {@code toString}s, and in files left on disk.
 */
class CanarySecretsTest {
    private static final String REGION = "us-east-1";
    private static final String CANARY_SECRET_KEY = "CanarySecretKey0000wJalrXUtnFEMIK7MDENGbPxRfiCY";
    private static final String CANARY_TOKEN = "CanarySessionToken0000IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQ";
    private static final String CANARY_PASSPHRASE = "Canary-Passphrase-0000-correct-horse";

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer(REGION);

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @TempDir
    Path tmp;

    private final List<String> seen = new ArrayList<>();
    private final List<String> canaries = new ArrayList<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;
    private Instant started;
    private java.util.Set<Path> sshDirsBefore;
    private java.util.Set<Path> workingCopiesBefore;

    @BeforeEach
    void captureOutput() throws IOException {
        started = Instant.now();
        sshDirsBefore = sshDirs();
        workingCopiesBefore = tempDirs("flux-codecommit-bootstrap");
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private final ProgressListener log = new ProgressListener() {
        @Override
        public void info(String message) {
            seen.add(message);
        }
    };

    private void record(Object... objects) {
        for (Object o : objects) {
            seen.add(String.valueOf(o));
        }
    }

    private void recordFailure(Throwable t) {
        assertThat(t).as("the flow was expected to fail").isNotNull();
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        seen.add(trace.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            seen.add(c.getMessage());
            seen.add(c.toString());
        }
    }

    @Test
    void noSecretLeaksFromHttpsIamFlows() throws IOException {
        AwsKeys keys = AwsKeys.of("ASIACANARY0000000001", CANARY_SECRET_KEY, CANARY_TOKEN);
        canaries.add(CANARY_SECRET_KEY);
        canaries.add(CANARY_TOKEN);
        HTTPS.registerKey(keys, Permission.PULL, Permission.PUSH);
        String url = HTTPS.createRepository("canary-https");
        Redactor redactor = new Redactor();
        try (AwsClients aws = new AwsClients(AwsSettings.defaults(), redactor, java.util.Map.of())) {
            GitAuth auth = new GitAuth.Iam(keys, REGION);
            record(keys, auth, CodeCommitUrl.parse(url));
            try (GitAccess access = GitAccess.builder(CodeCommitUrl.parse(url), auth)
                    .aws(aws)
                    .redactor(redactor)
                    .listener(log)
                    .open()) {
                Path dir = tmp.resolve("https");
                try (Checkout checkout = access.cloneBranch(dir, "main")) {
                    Files.writeString(dir.resolve("a.txt"), "a");
                    record(access.commitAll(checkout, "a", GitAccess.author("Flux", "", Clock.systemUTC())));
                    record(access.push(checkout), checkout, access.lsRemote(), access);
                }
                recordFailure(catchThrowable(() -> access.cloneBranch(tmp.resolve("x"), "no-such-branch")));
            }
            // A wrong secret with the right token: the refusal message must not echo either.
            AwsKeys wrong = AwsKeys.of("ASIACANARY0000000001", CANARY_SECRET_KEY + "X", CANARY_TOKEN);
            canaries.add(CANARY_SECRET_KEY + "X");
            try (GitAccess access = GitAccess.builder(CodeCommitUrl.parse(url), new GitAuth.Iam(wrong, REGION))
                    .aws(aws)
                    .redactor(redactor)
                    .listener(log)
                    .open()) {
                recordFailure(catchThrowable(access::lsRemote));
            }
        }
        // Credentials pasted into URLs: refused, and never repeated.
        String tokenUrl = url.replace("https://", "https://ASIACANARY0000000001%25" + CANARY_TOKEN + "@");
        recordFailure(catchThrowable(() -> CodeCommitUrl.parse(tokenUrl)));
        String passwordUrl = "ssh://APKACANARY0000000001:" + CANARY_SECRET_KEY
                + "@git-codecommit.us-east-1.amazonaws.com/v1/repos/r";
        recordFailure(catchThrowable(() -> CodeCommitUrl.parse(passwordUrl)));
        // What the server received is exactly the set of Git user names (with token) and passwords.
        canaries.addAll(
                HTTPS.receivedSecrets().stream().filter(s -> s.length() > 20).toList());
        assertNoCanaryAnywhere();
    }

    @Test
    void noSecretLeaksFromSshFlows() throws IOException {
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        Secret passphrase = Secret.of(CANARY_PASSPHRASE);
        Secret pem = key.privateKeyPem(passphrase);
        Secret plainPem = key.privateKeyPem();
        canaries.add(CANARY_PASSPHRASE);
        canaries.addAll(bodyLines(pem));
        canaries.addAll(bodyLines(plainPem));
        canaries.addAll(bodyLines(KeyFormats.openSsh(key.keyPair(), null)));
        String keyId = "APKACANARY0000000001";
        SSH.registerKey(keyId, key.publicKey());
        String repo = SSH.createRepository("canary-ssh");
        CodeCommitUrl url = CodeCommitUrl.parse(SSH.url(keyId, repo)).asCodeCommit(REGION);
        GitAuth auth = new GitAuth.SshKey(pem, passphrase, null);
        record(auth, key, url);
        try (GitAccess access = GitAccess.builder(url, auth).listener(log).open()) {
            Path dir = tmp.resolve("ssh");
            try (Checkout checkout = access.cloneBranch(dir, "main")) {
                Files.writeString(dir.resolve("a.txt"), "a");
                access.commitAll(checkout, "a", GitAccess.author("Flux", "", Clock.systemUTC()));
                record(access.push(checkout), access.lsRemote(), access);
            }
        }
        recordFailure(catchThrowable(() -> SshKeyPair.parse(pem, Secret.of(CANARY_PASSPHRASE + "-wrong"))));
        canaries.add(CANARY_PASSPHRASE + "-wrong");
        SshKeyPair other = SshKeyPair.generateRsa(2048);
        canaries.addAll(bodyLines(other.privateKeyPem()));
        String mismatch = "[127.0.0.1]:" + SSH.port() + " " + other.publicKeyOpenSsh();
        try (GitAccess access = GitAccess.builder(url, new GitAuth.SshKey(other.privateKeyPem(), null, mismatch))
                .listener(log)
                .open()) {
            recordFailure(catchThrowable(access::lsRemote));
        }
        try (GitAccess access = GitAccess.builder(
                        url, new GitAuth.SshKey(other.privateKeyPem(), null, SSH.knownHostsLine()))
                .listener(log)
                .open()) {
            recordFailure(catchThrowable(access::lsRemote));
        }
        assertNoCanaryAnywhere();
    }

    @Test
    void noSecretLeaksFromBootstrapOverHttpsAndSsh() throws IOException {
        AwsKeys keys = AwsKeys.of("ASIACANARYBOOT000001", CANARY_SECRET_KEY, CANARY_TOKEN);
        canaries.add(CANARY_SECRET_KEY);
        canaries.add(CANARY_TOKEN);
        HTTPS.registerKey(keys, Permission.PULL, Permission.PUSH);
        String httpsUrl = HTTPS.createRepository("canary-bootstrap-https");
        BootstrapRequest https = BootstrapRequest.builder(httpsUrl)
                .identity(keys)
                .region(REGION)
                .install(new InstallOptions(null, "canary-https", null, null, null, null, true, true, null, null, null))
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(CLUSTER.target())
                .waitForHealth(false)
                .build();
        record(https, new Bootstrap(https, environment(), Clock.systemUTC()).call(log));

        SshKeyPair key = SshKeyPair.generateRsa(2048);
        Secret passphrase = Secret.of(CANARY_PASSPHRASE);
        Secret pem = key.privateKeyPem(passphrase);
        canaries.add(CANARY_PASSPHRASE);
        canaries.addAll(bodyLines(pem));
        canaries.addAll(bodyLines(key.privateKeyPem()));
        SSH.registerKey("APKACANARYBOOT000001", key.publicKey());
        String repo = SSH.createRepository("canary-bootstrap-ssh");
        BootstrapRequest ssh = BootstrapRequest.builder(SSH.url("APKACANARYBOOT000001", repo))
                .sshKey(pem, passphrase)
                .install(new InstallOptions(null, "canary-ssh", null, null, null, null, true, true, null, null, null))
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(CLUSTER.target())
                .waitForHealth(false)
                .build();
        record(ssh, new Bootstrap(ssh, environment(), Clock.systemUTC()).call(log));
        // A failing run: the cluster refuses, the message must still hold no secret.
        BootstrapRequest refused = BootstrapRequest.builder(SSH.url("APKACANARYBOOT000001", repo))
                .sshKey(pem, passphrase)
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(new io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget.ApiServer(
                        CLUSTER.url().toString(),
                        Secret.of("Canary-Wrong-Cluster-Token-0000"),
                        TestTls.certificatePem()))
                .build();
        canaries.add("Canary-Wrong-Cluster-Token-0000");
        recordFailure(catchThrowable(() -> new Bootstrap(refused, environment(), Clock.systemUTC()).call(log)));
        canaries.addAll(
                HTTPS.receivedSecrets().stream().filter(s -> s.length() > 20).toList());
        // The engine works under this test's own temporary root (TMPDIR of its environment).
        assertThat(tempDirs("flux-codecommit-bootstrap"))
                .as("bootstrap working copies are removed")
                .isEqualTo(workingCopiesBefore);
        assertNoCanaryAnywhere();
    }

    private static List<String> bodyLines(Secret pem) {
        return pem.reveal()
                .lines()
                .filter(l -> !l.startsWith("-----") && !l.contains(":") && l.length() >= 40)
                .toList();
    }

    private void assertNoCanaryAnywhere() throws IOException {
        System.err.flush();
        List<String> everything = new ArrayList<>(seen);
        everything.add(stderr.toString(StandardCharsets.UTF_8));
        everything.add(stdout.toString(StandardCharsets.UTF_8));
        assertThat(seen).as("the flows produced output to check").isNotEmpty();
        assertThat(canaries).as("canaries to look for").isNotEmpty();
        for (String text : everything) {
            for (String canary : canaries) {
                assertThat(text).as("output must not contain a secret").doesNotContain(canary);
            }
        }
        for (Path file : filesWrittenSince(tmp)) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String canary : canaries) {
                assertThat(content)
                        .as("file %s must not contain a secret", file)
                        .doesNotContain(canary);
            }
        }
        assertThat(sshDirs()).as("temporary SSH directories are removed").isEqualTo(sshDirsBefore);
    }

    /** The engine's environment: its temporary root is this test's own. */
    private java.util.Map<String, String> environment() {
        return java.util.Map.of("TMPDIR", workRoot().toString());
    }

    private Path workRoot() {
        Path root = tmp.resolve("engine-tmp");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return root;
    }

    private java.util.Set<Path> sshDirs() throws IOException {
        return tempDirs("flux-codecommit-ssh");
    }

    private java.util.Set<Path> tempDirs(String prefix) throws IOException {
        try (Stream<Path> entries = Files.list(workRoot())) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private List<Path> filesWrittenSince(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toInstant().isAfter(started.minusSeconds(1))
                                    && Files.size(p) < 5_000_000;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
    }
}
