package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NonFastForwardException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.MutableClock;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Git over HTTPS with IAM against the CodeCommit-faithful server, with identities from moto. */
class GitAccessHttpsTest {
    private static final String REGION = "us-east-1";

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final CodeCommitHttpsServer SERVER = new CodeCommitHttpsServer(REGION);

    @TempDir
    Path tmp;

    private final Redactor redactor = new Redactor();
    private AwsClients aws;

    @BeforeEach
    void clients() {
        aws = new AwsClients(
                AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()).withIamEndpoint(MOTO.endpoint()),
                redactor,
                java.util.Map.of());
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private GitAccess open(String url, AwsIdentity identity, Clock clock) {
        return GitAccess.builder(CodeCommitUrl.parse(url), new GitAuth.Iam(identity, REGION))
                .aws(aws)
                .clock(clock)
                .redactor(redactor)
                .open();
    }

    private GitAccess open(String url, AwsIdentity identity) {
        return open(url, identity, Clock.systemUTC());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Clones the branch, writes a file, commits and pushes; returns the pushed commit. */
    private String roundTrip(GitAccess access, String file, String content) throws IOException {
        Path dir = tmp.resolve(unique("clone"));
        try (Checkout checkout = access.cloneBranch(dir, "main")) {
            Files.writeString(dir.resolve(file), content);
            String commit = access.commitAll(checkout, "add " + file, GitAccess.author("Flux", "", Clock.systemUTC()))
                    .orElseThrow();
            PushOutcome outcome = access.push(checkout);
            assertThat(outcome.commit()).isEqualTo(commit);
            assertThat(outcome.upToDate()).isFalse();
            return commit;
        }
    }

    private static String remoteHead(String repo) throws IOException {
        try (Repository repository = SERVER.open(repo)) {
            return repository.resolve("refs/heads/main").name();
        }
    }

    @Test
    void cloneAndPushWithAnIamUsersStaticKeys() throws IOException {
        AwsKeys keys = MOTO.createUserWithKey(unique("alice"));
        SERVER.registerKey(keys, Permission.PULL, Permission.PUSH);
        String repo = unique("static");
        String url = SERVER.createRepository(repo);

        try (GitAccess access = open(url, keys)) {
            String first = roundTrip(access, "a.txt", "one");
            String second = roundTrip(access, "b.txt", "two");
            assertThat(remoteHead(repo)).isEqualTo(second).isNotEqualTo(first);
            assertThat(access.lsRemote().branches()).containsEntry("main", second);
            assertThat(access.iamAccessKeyId()).isEqualTo(keys.accessKeyId());
        }
        assertThat(SERVER.accesses())
                .filteredOn(a -> a.repository().endsWith(repo) && a.push() && a.status() == 200)
                .extracting(CodeCommitHttpsServer.Access::accessKeyId)
                .containsOnly(keys.accessKeyId());
    }

    @Test
    void cloneAndPushWithTemporaryKeysAndSessionToken() throws IOException {
        AwsKeys user = MOTO.createUserWithKey(unique("bob"));
        Credentials session;
        try (StsClient sts = StsClient.builder()
                .endpointOverride(MOTO.endpoint())
                .region(Region.of(REGION))
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        user.accessKeyId(), user.secretAccessKey().reveal())))
                .build()) {
            session = sts.getSessionToken().credentials();
        }
        AwsKeys temporary = AwsKeys.of(session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
        SERVER.registerKey(temporary, Permission.PULL, Permission.PUSH);
        String repo = unique("session");
        String url = SERVER.createRepository(repo);

        try (GitAccess access = open(url, temporary)) {
            String commit = roundTrip(access, "a.txt", "temporary");
            assertThat(remoteHead(repo)).isEqualTo(commit);
        }
        assertThat(temporary.temporary()).isTrue();
        assertThat(SERVER.accesses())
                .anyMatch(a -> a.accessKeyId().equals(session.accessKeyId()) && a.push() && a.status() == 200);
    }

    @Test
    void cloneAndPushWithARoleAssumedThroughSts() throws IOException {
        AwsKeys user = MOTO.createUserWithKey(unique("carol"));
        String roleArn = MOTO.createRole(unique("flux-bootstrap"));
        AssumeRole role = new AssumeRole(user, roleArn, "fleet-external-id", "jenkins-bootstrap", null);
        // The server must know the secret STS issued: read it through the engine, as the signer does.
        AwsKeys assumed = aws.resolve(aws.credentials(role, REGION), role);
        assertThat(assumed.accessKeyId()).startsWith("ASIA");
        assertThat(assumed.temporary()).isTrue();
        SERVER.registerKey(assumed, Permission.PULL, Permission.PUSH);
        assertThat(aws.callerIdentity(role, REGION).arn())
                .contains("assumed-role")
                .contains("jenkins-bootstrap");

        String repo = unique("role");
        String url = SERVER.createRepository(repo);
        try (GitAccess access = open(url, role)) {
            String commit = roundTrip(access, "a.txt", "assumed");
            assertThat(remoteHead(repo)).isEqualTo(commit);
            assertThat(access.iamAccessKeyId()).isEqualTo(assumed.accessKeyId());
        }
    }

    @Test
    void passwordIsSignedAnewWhenAnOperationOutlivesFifteenMinutes() throws IOException {
        AwsKeys keys = MOTO.createUserWithKey(unique("dave"));
        SERVER.registerKey(keys, Permission.PULL, Permission.PUSH);
        String repo = unique("refresh");
        String url = SERVER.createRepository(repo);
        MutableClock clock = new MutableClock(Instant.now());
        SERVER.setClock(clock);
        try (GitAccess access = open(url, keys, clock)) {
            Path dir = tmp.resolve("long");
            try (Checkout checkout = access.cloneBranch(dir, "main")) {
                Files.writeString(dir.resolve("a.txt"), "slow");
                access.commitAll(checkout, "slow change", GitAccess.author("Flux", "", clock));
                // A bootstrap waits for controllers between its pushes: 20 minutes pass.
                clock.advance(Duration.ofMinutes(20));
                PushOutcome outcome = access.push(checkout);
                assertThat(remoteHead(repo)).isEqualTo(outcome.commit());
            }
        } finally {
            SERVER.setClock(Clock.systemUTC());
        }
    }

    @Test
    void serverRefusesAPasswordOlderThanFifteenMinutes() {
        AwsKeys keys = MOTO.createUserWithKey(unique("erin"));
        SERVER.registerKey(keys, Permission.PULL, Permission.PUSH);
        String url = uncheckedCreate(unique("stale"));
        MutableClock client = new MutableClock(Instant.now().minus(Duration.ofMinutes(16)));
        try (GitAccess access = open(url, keys, client)) {
            assertThatThrownBy(access::lsRemote).isInstanceOf(AccessDeniedException.class);
            client.advance(Duration.ofMinutes(16));
            assertThat(access.lsRemote().isEmpty()).isTrue();
        }
    }

    @Test
    void wrongSecretIsAccessDeniedNamingGitPull() {
        AwsKeys keys = MOTO.createUserWithKey(unique("frank"));
        SERVER.registerKey(keys, Permission.PULL);
        String url = uncheckedCreate(unique("denied"));
        AwsKeys wrong = AwsKeys.of(keys.accessKeyId(), "not-the-secret-key-at-all");
        try (GitAccess access = open(url, wrong)) {
            assertThatThrownBy(access::lsRemote)
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("codecommit:GitPull")
                    .hasMessageContaining(keys.accessKeyId())
                    .hasMessageNotContaining("not-the-secret-key-at-all");
        }
    }

    @Test
    void pushWithoutGitPushPermissionIsAccessDeniedNamingGitPush() throws IOException {
        AwsKeys keys = MOTO.createUserWithKey(unique("grace"));
        SERVER.registerKey(keys, Permission.PULL);
        String url = SERVER.createRepository(unique("readonly"));
        try (GitAccess access = open(url, keys)) {
            Path dir = tmp.resolve("ro");
            try (Checkout checkout = access.cloneBranch(dir, "main")) {
                Files.writeString(dir.resolve("a.txt"), "x");
                access.commitAll(checkout, "x", GitAccess.author("Flux", "", Clock.systemUTC()));
                assertThatThrownBy(() -> access.push(checkout))
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("codecommit:GitPush");
            }
        }
    }

    @Test
    void inactiveKeyIsAccessDenied() {
        AwsKeys keys = MOTO.createUserWithKey(unique("heidi"));
        SERVER.registerKey(keys, Permission.PULL);
        SERVER.setActive(keys.accessKeyId(), false);
        String url = uncheckedCreate(unique("inactive"));
        try (GitAccess access = open(url, keys)) {
            assertThatThrownBy(access::lsRemote)
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("the key is active");
        }
    }

    @Test
    void missingBranchInANonEmptyRepositoryNamesTheExistingOnes() throws IOException {
        AwsKeys keys = MOTO.createUserWithKey(unique("ivan"));
        SERVER.registerKey(keys, Permission.PULL, Permission.PUSH);
        String url = SERVER.createRepository(unique("branches"));
        try (GitAccess access = open(url, keys)) {
            roundTrip(access, "a.txt", "main exists");
            assertThatThrownBy(() -> access.cloneBranch(tmp.resolve("nope"), "production"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("Branch 'production' does not exist")
                    .hasMessageContaining("it has main");
        }
    }

    @Test
    void pushAfterTheBranchMovedIsReportedAsNonFastForward() throws IOException {
        AwsKeys keys = MOTO.createUserWithKey(unique("judy"));
        SERVER.registerKey(keys, Permission.PULL, Permission.PUSH);
        String url = SERVER.createRepository(unique("race"));
        try (GitAccess access = open(url, keys)) {
            roundTrip(access, "base.txt", "base");
            Path slowDir = tmp.resolve("slow");
            try (Checkout slow = access.cloneBranch(slowDir, "main")) {
                roundTrip(access, "fast.txt", "the other writer wins");
                Files.writeString(slowDir.resolve("slow.txt"), "late");
                access.commitAll(slow, "late", GitAccess.author("Flux", "", Clock.systemUTC()));
                assertThatThrownBy(() -> access.push(slow))
                        .isInstanceOf(NonFastForwardException.class)
                        .hasMessageContaining("non-fast-forward");
            }
        }
    }

    @Test
    void missingRepositoryIsNamed() {
        AwsKeys keys = MOTO.createUserWithKey(unique("ken"));
        SERVER.registerKey(keys, Permission.PULL);
        try (GitAccess access = open(SERVER.url("does-not-exist"), keys)) {
            assertThatThrownBy(access::lsRemote)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("was not found");
        }
    }

    @Test
    void nonStandardHostWithoutRegionIsRefusedBeforeAnyTraffic() {
        AwsKeys keys = AwsKeys.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        int before = SERVER.accesses().size();
        assertThatThrownBy(() -> GitAccess.builder(CodeCommitUrl.parse(SERVER.url("r")), new GitAuth.Iam(keys, null))
                        .aws(aws)
                        .open())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Give the region explicitly");
        assertThat(SERVER.accesses()).hasSize(before);
    }

    private static String uncheckedCreate(String name) {
        try {
            return SERVER.createRepository(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void credentialsAreNotSentToAHostTheRepositoryRedirectsTo() throws Exception {
        AwsKeys keys = AwsKeys.of("ASIAREDIRECT00000001", "redirect-secret-key-value", "redirect-session-token");
        java.util.List<String> stolen = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpsServer evil = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evil.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        evil.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                stolen.add(auth);
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"evil\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        evil.start();
        HttpsServer redirecting = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirecting.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders()
                    .add("Location", "https://localhost:" + evil.getAddress().getPort() + exchange.getRequestURI());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirecting.start();
        try (GitAccess access =
                open("https://127.0.0.1:" + redirecting.getAddress().getPort() + "/v1/repos/fleet", keys)) {
            assertThatThrownBy(access::lsRemote).isInstanceOf(AccessDeniedException.class);
        } finally {
            redirecting.stop(0);
            evil.stop(0);
        }
        assertThat(stolen).isEmpty();
    }
}
