package io.jenkins.plugins.fluxcodecommit.testing;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * moto's server (IAM, STS) on a free loopback port, started once per test JVM from the project's
 * virtualenv (scripts/ensure-moto.sh installs it). Under CI=true a missing moto fails the tests;
 * elsewhere the moto-backed tests are skipped with a message saying how to get it.
 */
public final class MotoServer implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoServer.class);

    private Process process;
    private URI endpoint;

    @Override
    public void beforeAll(ExtensionContext context) {
        MotoServer shared = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(MotoServer.class, k -> launch(), MotoServer.Running.class)
                .server();
        this.endpoint = shared.endpoint;
        this.process = shared.process;
    }

    /** Holder closed by JUnit at the end of the run. */
    record Running(MotoServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.process.destroy();
        }
    }

    private static Running launch() {
        String executable = System.getProperty("moto.server", ".venv/bin/moto_server");
        if (!Files.isExecutable(Path.of(executable))) {
            String message =
                    "moto server not found at " + executable + "; run scripts/ensure-moto.sh (./mvnw verify does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("moto", ".log");
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer();
            server.process = process;
            server.endpoint = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try {
                    HttpResponse<Void> response = http.send(
                            HttpRequest.newBuilder(server.endpoint.resolve("/moto-api/"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() < 500) {
                        break;
                    }
                } catch (IOException e) {
                    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("moto server did not start: " + Files.readString(log), e);
                    }
                }
                Thread.sleep(100);
            }
            return new Running(server);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts one outside JUnit (benchmarks); {@link #stop()} it when done. */
    public static MotoServer standalone() {
        return launch().server();
    }

    public void stop() {
        process.destroy();
    }

    /**
     * From now on, moto checks every request against the caller's IAM policies, as AWS does (its
     * {@code /moto-api/reset-auth}); keys must then be moto's own. Only for a {@link #standalone()}
     * server: the shared one serves tests that use made-up admin keys.
     */
    public void enforceIamPolicies(boolean enforce) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset-auth"))
                                    .POST(HttpRequest.BodyPublishers.ofString(enforce ? "0" : "inf"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto refused reset-auth: " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** An IAM client acting as the account's administrator (moto accepts any keys). */
    public IamClient adminIam() {
        return IamClient.builder()
                .endpointOverride(endpoint)
                .region(Region.AWS_GLOBAL)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAADMINADMINADMIN1", "admin")))
                .build();
    }

    /** An IAM client signing with these keys, as an application holding them would. */
    public IamClient iamAs(AwsKeys keys) {
        return IamClient.builder()
                .endpointOverride(endpoint())
                .region(Region.AWS_GLOBAL)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        keys.accessKeyId(), keys.secretAccessKey().reveal())))
                .build();
    }

    /** Creates an IAM user with one access key and returns the key. */
    public AwsKeys createUserWithKey(String userName) {
        try (IamClient iam = adminIam()) {
            iam.createUser(b -> b.userName(userName));
            AccessKey key = iam.createAccessKey(b -> b.userName(userName)).accessKey();
            return AwsKeys.of(key.accessKeyId(), key.secretAccessKey());
        }
    }

    /** Creates a role anyone in the account may assume, and returns its ARN. */
    public String createRole(String roleName) {
        try (IamClient iam = adminIam()) {
            String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
            return iam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(trust))
                    .role()
                    .arn();
        }
    }
}
