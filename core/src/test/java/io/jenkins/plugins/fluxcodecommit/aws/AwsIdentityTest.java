package io.jenkins.plugins.fluxcodecommit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of identity resolves to credentials that STS (moto) recognises. */
class AwsIdentityTest {
    private static final String REGION = "eu-west-1";

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private final Redactor redactor = new Redactor();
    private AwsClients aws;

    @BeforeEach
    void clients() {
        aws = new AwsClients(AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()), redactor, Map.of());
    }

    @AfterEach
    void close() {
        aws.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void staticKeysAreTheIamUser() {
        AwsKeys keys = MOTO.createUserWithKey("identity-static");
        assertThat(aws.callerIdentity(keys, REGION).arn()).isEqualTo("arn:aws:iam::123456789012:user/identity-static");
        assertThat(redactor.redact("x " + keys.secretAccessKey().reveal())).isEqualTo("x ****");
    }

    @Test
    void assumedRoleIsTheRoleSession() {
        AwsKeys keys = MOTO.createUserWithKey("identity-role-source");
        String roleArn = MOTO.createRole("identity-role");
        AssumeRole role = new AssumeRole(keys, roleArn, null, "fleet-42", null);
        assertThat(aws.callerIdentity(role, REGION).arn()).endsWith(":assumed-role/identity-role/fleet-42");
        AwsKeys assumed = aws.resolve(aws.credentials(role, REGION), role);
        assertThat(assumed.temporary()).isTrue();
        // The provider is made once: resolving again gives the same session, not a new AssumeRole call.
        assertThat(aws.resolve(aws.credentials(role, REGION), role).accessKeyId())
                .isEqualTo(assumed.accessKeyId());
        assertThat(redactor.redact(assumed.sessionToken().reveal())).isEqualTo("****");
    }

    @Test
    void theDefaultChainReadsKeysFromTheEnvironmentItIsGiven() {
        AwsKeys keys = MOTO.createUserWithKey("identity-step-env");
        // This process has no AWS variables (the build removes them); only the operation's map has them.
        try (AwsClients step = clients(Map.of(
                "AWS_ACCESS_KEY_ID",
                keys.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY",
                keys.secretAccessKey().reveal()))) {
            assertThat(step.callerIdentity(DefaultChain.create(), REGION).arn()).endsWith(":user/identity-step-env");
            assertThat(redactor.redact("x " + keys.secretAccessKey().reveal())).isEqualTo("x ****");
        }
    }

    @Test
    void theDefaultChainReadsTheProfileAndFilesOfTheEnvironmentItIsGiven(@TempDir Path dir) throws IOException {
        AwsKeys keys = MOTO.createUserWithKey("identity-step-profile");
        AwsKeys other = MOTO.createUserWithKey("identity-step-default");
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, profile("default", other) + profile("ops", keys));
        try (AwsClients step =
                clients(Map.of("AWS_PROFILE", "ops", "AWS_SHARED_CREDENTIALS_FILE", credentials.toString()))) {
            assertThat(step.callerIdentity(DefaultChain.create(), REGION).arn())
                    .endsWith(":user/identity-step-profile");
        }
        // Without AWS_PROFILE, the same files' default profile.
        try (AwsClients step = clients(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString()))) {
            assertThat(step.callerIdentity(DefaultChain.create(), REGION).arn())
                    .endsWith(":user/identity-step-default");
        }
    }

    @Test
    void aNamedProfileIsReadFromTheFilesOfTheEnvironmentEvenWithKeysThere(@TempDir Path dir) throws IOException {
        AwsKeys keys = MOTO.createUserWithKey("identity-profile");
        AwsKeys environmentKeys = MOTO.createUserWithKey("identity-profile-env-keys");
        Path config = dir.resolve("config");
        // The config file alone may hold keys: the AWS CLI reads them there too.
        Files.writeString(config, profile("profile fleet-ops", keys));
        try (AwsClients step = clients(Map.of(
                "AWS_CONFIG_FILE",
                config.toString(),
                "AWS_ACCESS_KEY_ID",
                environmentKeys.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY",
                environmentKeys.secretAccessKey().reveal()))) {
            assertThat(step.callerIdentity(new DefaultChain("fleet-ops"), REGION)
                            .arn())
                    .endsWith(":user/identity-profile");
        }
    }

    @Test
    void theDefaultChainExchangesTheWebIdentityTokenOfTheEnvironmentItIsGiven(@TempDir Path dir) throws IOException {
        String roleArn = MOTO.createRole("identity-irsa");
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl\n");
        try (AwsClients step = clients(Map.of(
                "AWS_ROLE_ARN",
                roleArn,
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token.toString(),
                "AWS_ROLE_SESSION_NAME",
                "fleet-agent-7"))) {
            assertThat(step.callerIdentity(DefaultChain.create(), REGION).arn())
                    .endsWith(":assumed-role/identity-irsa/fleet-agent-7");
        }
    }

    @Test
    void theJvmsSystemPropertiesAreNotTheEnvironment() {
        AwsKeys keys = MOTO.createUserWithKey("identity-chain");
        System.setProperty("aws.accessKeyId", keys.accessKeyId());
        System.setProperty("aws.secretAccessKey", keys.secretAccessKey().reveal());
        assertThatThrownBy(() -> aws.callerIdentity(DefaultChain.create(), REGION))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No AWS credentials were found in the default AWS credentials chain")
                .hasMessageContaining("the agent process's own variables are not read");
    }

    @Test
    void halfAKeyPairInTheEnvironmentIsAnInputErrorThatShowsNoSecret() {
        try (AwsClients step = clients(Map.of("AWS_SECRET_ACCESS_KEY", "canary-env-secret-0042"))) {
            assertThatThrownBy(() -> step.callerIdentity(DefaultChain.create(), REGION))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID")
                    .hasMessageContaining("Fix: Set both")
                    .hasMessageNotContaining("canary-env-secret-0042");
        }
        try (AwsClients step = clients(Map.of("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"))) {
            assertThatThrownBy(() -> step.callerIdentity(DefaultChain.create(), REGION))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("AWS_ACCESS_KEY_ID AKIAIOSFODNN7EXAMPLE is set without AWS_SECRET_ACCESS_KEY")
                    .hasMessageContaining("Fix: Set both");
        }
    }

    @Test
    void aTemporaryKeyWithoutItsSessionTokenIsAnInputErrorThatShowsNoSecret() {
        try (AwsClients step = clients(
                Map.of("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY", "canary-env-0042"))) {
            assertThatThrownBy(() -> step.callerIdentity(DefaultChain.create(), REGION))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("ASIAIOSFODNN7EXAMPLE is a temporary key")
                    .hasMessageContaining("no session token was given")
                    .hasMessageContaining("set AWS_SESSION_TOKEN")
                    .hasMessageNotContaining("canary-env-0042");
        }
    }

    @Test
    void missingCredentialsInTheDefaultChainSayWhereTheyAreLookedFor() {
        assertThatThrownBy(() -> aws.resolve(
                        aws.credentials(new DefaultChain("no-such-profile"), REGION),
                        new DefaultChain("no-such-profile")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No AWS credentials were found in AWS profile 'no-such-profile'")
                .hasMessageContaining("IRSA, EKS Pod Identity");
    }

    @Test
    void malformedRoleArnIsRefused() {
        assertThatThrownBy(() -> AssumeRole.of(DefaultChain.create(), "arn:aws:iam::12345:user/alice"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not an IAM role ARN");
    }

    @Test
    void keyIdAndSecretSwappedIsRefusedWithoutShowingTheSecret() {
        assertThatThrownBy(() -> AwsKeys.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'wJal****' is not an AWS access key ID")
                .hasMessageNotContaining("bPxRfiCY");
    }

    @Test
    void refusedRoleAssumptionIsAccessDeniedNamingTheRoleAndTrustPolicy() throws IOException {
        // moto does not enforce IAM policies unless told to for the whole server, so STS's refusal
        // is played by a local endpoint answering exactly as STS does (403, Sender/AccessDenied).
        HttpServer sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        + "<Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ci is not authorized"
                        + " to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deploy</Message>"
                        + "</Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>")
                .getBytes(StandardCharsets.UTF_8);
        sts.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        try (AwsClients refusing = new AwsClients(
                AwsSettings.defaults()
                        .withStsEndpoint(URI.create(
                                "http://127.0.0.1:" + sts.getAddress().getPort())),
                redactor,
                Map.of())) {
            AssumeRole role = new AssumeRole(
                    AwsKeys.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                    "arn:aws:iam::123456789012:role/deploy",
                    "ext-1",
                    null,
                    null);
            assertThatThrownBy(() -> refusing.resolve(refusing.credentials(role, REGION), role))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized")
                    .hasMessageContaining("Allow sts:AssumeRole on arn:aws:iam::123456789012:role/deploy")
                    .hasMessageContaining("with the same external ID")
                    .hasMessageNotContaining("bPxRfiCY");
        } finally {
            sts.stop(0);
        }
    }

    @Test
    void aRoleWhoseSourceHasNoCredentialsSaysSoInsteadOfBlamingTheNetwork() {
        String roleArn = MOTO.createRole("identity-role-no-source");
        AssumeRole role = AssumeRole.of(DefaultChain.create(), roleArn);
        assertThatThrownBy(() -> aws.resolve(aws.credentials(role, REGION), role))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No AWS credentials were found in the default AWS credentials chain")
                .hasMessageContaining("looked for AWS_ACCESS_KEY_ID")
                .hasMessageNotContainingAny("network", "AwsCredentialsProviderChain");
    }

    @Test
    void anUnreachableStsForTheWebIdentityIsARemoteErrorNamingTheEndpoint(@TempDir Path dir) throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl\n");
        try (AwsClients step = new AwsClients(
                AwsSettings.defaults().withStsEndpoint(URI.create("http://127.0.0.1:1")),
                redactor,
                Map.of(
                        "AWS_ROLE_ARN",
                        "arn:aws:iam::123456789012:role/irsa",
                        "AWS_WEB_IDENTITY_TOKEN_FILE",
                        token.toString()))) {
            assertThatThrownBy(() -> step.callerIdentity(DefaultChain.create(), REGION))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("Could not reach STS at http://127.0.0.1:1 (connection refused)")
                    .hasMessageContaining("--sts-endpoint")
                    .hasMessageNotContaining("No AWS credentials were found");
        }
    }

    @Test
    void aMissingWebIdentityTokenFileIsAnInputErrorNamingIt(@TempDir Path dir) {
        Path token = dir.resolve("no-token");
        try (AwsClients step = clients(Map.of(
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/irsa",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token.toString()))) {
            assertThatThrownBy(() -> step.callerIdentity(DefaultChain.create(), REGION))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("The web identity token file " + token + " (AWS_WEB_IDENTITY_TOKEN_FILE)"
                            + " does not exist");
        }
    }

    @Test
    void anStsAnswerWithoutAnErrorCodeIsNamedByItsStatusAndNeverNull() throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        proxy.start();
        try (AwsClients refusing = new AwsClients(
                AwsSettings.defaults()
                        .withStsEndpoint(URI.create(
                                "http://127.0.0.1:" + proxy.getAddress().getPort())),
                redactor,
                Map.of())) {
            AssumeRole role = AssumeRole.of(
                    AwsKeys.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                    "arn:aws:iam::123456789012:role/deploy");
            assertThatThrownBy(() -> refusing.resolve(refusing.credentials(role, REGION), role))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("HTTP 403 without an AWS error code")
                    .hasMessageNotContaining("null");
        } finally {
            proxy.stop(0);
        }
    }

    private AwsClients clients(Map<String, String> environment) {
        return new AwsClients(AwsSettings.defaults().withStsEndpoint(MOTO.endpoint()), redactor, environment);
    }

    private static String profile(String section, AwsKeys keys) {
        return "[" + section + "]\naws_access_key_id = " + keys.accessKeyId() + "\naws_secret_access_key = "
                + keys.secretAccessKey().reveal() + "\n";
    }
}
