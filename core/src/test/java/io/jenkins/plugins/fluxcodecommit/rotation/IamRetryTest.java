package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IAM answers that moto cannot give on cue — throttling, AccessDenied, LimitExceeded — played by a
 * local endpoint speaking IAM's error format, to check retries and the messages that name the
 * action and the fix.
 */
class IamRetryTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private AwsClients clients(String... answers) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = requests.getAndIncrement();
            String answer = answers[Math.min(n, answers.length - 1)];
            int status = Integer.parseInt(answer.substring(0, 3));
            byte[] body = answer.substring(4).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new AwsClients(
                AwsSettings.defaults()
                        .withIamEndpoint(URI.create(
                                "http://127.0.0.1:" + server.getAddress().getPort())),
                new Redactor(),
                java.util.Map.of());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>"
                + code + "</Code><Message>" + message + "</Message></Error><RequestId>r</RequestId></ErrorResponse>";
    }

    private static final String LIST_OK =
            "200 <ListSSHPublicKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                    + "<ListSSHPublicKeysResult><SSHPublicKeys/><IsTruncated>false</IsTruncated></ListSSHPublicKeysResult>"
                    + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListSSHPublicKeysResponse>";

    private SdkIamCredentials iam(AwsClients aws) {
        AwsKeys admin = AwsKeys.of("AKIAADMINADMINADMIN1", "admin");
        return new SdkIamCredentials(aws.iam(aws.credentials(admin, "us-east-1"), "us-east-1"), new Redactor());
    }

    @Test
    void throttlingIsRetriedWithBackoffUntilItPasses() throws Exception {
        try (AwsClients aws = clients(
                "400 " + error("Throttling", "Rate exceeded"),
                "400 " + error("Throttling", "Rate exceeded"),
                LIST_OK)) {
            assertThat(iam(aws).list("fleet_user", CredentialKind.SSH_KEY)).isEmpty();
            assertThat(requests.get()).isEqualTo(3);
        }
    }

    @Test
    void accessDeniedNamesTheIamActionAndTheUser() throws Exception {
        try (AwsClients aws =
                clients("403 " + error("AccessDenied", "User: arn:aws:iam::123456789012:user/ci is not authorized"))) {
            assertThatThrownBy(() -> iam(aws).setActive("fleet_user", CredentialKind.ACCESS_KEY, "AKIAOLD", false))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("iam:UpdateAccessKey on user fleet_user was denied")
                    .hasMessageContaining("Allow iam:UpdateAccessKey on arn:aws:iam::ACCOUNT:user/fleet_user");
            assertThat(requests.get()).as("not retried").isEqualTo(1);
        }
    }

    /** moto's policy denials, and proxies, answer outside IAM's envelope: the SDK finds no error code. */
    @Test
    void aDenialTheSdkFindsNoCodeInIsStillADenialNamingTheActionAndTheCaller() throws Exception {
        String moto =
                "403 <?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>AccessDenied</Code>"
                        + "<Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:CreateAccessKey"
                        + "</Message><Type>Sender</Type></Error></Errors></ErrorResponse>";
        try (AwsClients aws = clients(moto)) {
            AwsKeys ci = AwsKeys.of("AKIACICICICICICICIC1", "ci");
            var iam = new SdkIamCredentials(
                    aws.iam(aws.credentials(ci, "us-east-1"), "us-east-1"), new Redactor(), ci.describe());
            assertThatThrownBy(() -> iam.create("fleet_user", CredentialKind.ACCESS_KEY))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining(
                            "iam:CreateAccessKey on user fleet_user was denied to access key AKIACICICICICICICIC1")
                    .hasMessageContaining("user/ci is not authorized to perform: iam:CreateAccessKey")
                    .hasMessageContaining("Allow iam:CreateAccessKey on arn:aws:iam::ACCOUNT:user/fleet_user for access"
                            + " key AKIACICICICICICICIC1");
        }
    }

    @Test
    void aDenialWithoutAnyBodyIsADenialByItsStatus() throws Exception {
        try (AwsClients aws = clients("403 ")) {
            assertThatThrownBy(() -> iam(aws).create("fleet_user", CredentialKind.ACCESS_KEY))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("iam:CreateAccessKey on user fleet_user was denied: IAM answered HTTP 403");
        }
    }

    @Test
    void quotaAndUnknownUserAreInputErrorsWithTheFix() throws Exception {
        try (AwsClients aws =
                clients("409 " + error("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"))) {
            assertThatThrownBy(() -> iam(aws).create("fleet_user", CredentialKind.ACCESS_KEY))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("hit IAM's quota")
                    .hasMessageContaining("IAM allows 2 access keys and 5 SSH keys per user");
        }
        stop();
        requests.set(0);
        try (AwsClients aws =
                clients("404 " + error("NoSuchEntity", "The user with name fleet_usr cannot be found."))) {
            assertThatThrownBy(() -> iam(aws).list("fleet_usr", CredentialKind.SSH_KEY))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("aws iam get-user --user-name fleet_usr");
        }
    }

    @Test
    void anIamAnswerWithoutAnErrorCodeIsARemoteErrorThatPrintsNoNull() throws Exception {
        try (AwsClients aws = clients("400 <html><body>Request blocked by the proxy</body></html>")) {
            assertThatThrownBy(() -> iam(aws).list("fleet_user", CredentialKind.SSH_KEY))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("iam:ListSSHPublicKeys for fleet_user failed: IAM answered HTTP 400")
                    .hasMessageNotContaining("null");
        }
    }
}
