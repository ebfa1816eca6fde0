package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cluster targets: kubeconfig content and context, EKS by name, and the EKS IAM token. */
class KubeConnectionTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private String kubeconfig() {
        var target = (ClusterTarget.ApiServer) CLUSTER.target();
        String ca = Base64.getEncoder().encodeToString(TestTls.certificatePem().getBytes(StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: other
                  context: {cluster: test, user: nobody}
                - name: test
                  context: {cluster: test, user: admin}
                current-context: other
                """.formatted(target.url(), ca, target.token().reveal());
    }

    @Test
    void kubeconfigContentWithAContextReachesTheCluster() {
        Redactor redactor = new Redactor();
        try (KubeConnection kube = KubeConnection.open(
                ClusterTarget.Kubeconfig.inline(Secret.of(kubeconfig()), "test"),
                null,
                null,
                Map.of(),
                redactor,
                Clock.systemUTC(),
                Duration.ofSeconds(10))) {
            assertThat(kube.client().namespaces().withName("default").get()).isNotNull();
        }
        // The admin token inside the kubeconfig is known to the redactor.
        String token = ((ClusterTarget.ApiServer) CLUSTER.target()).token().reveal();
        assertThat(redactor.redact("x" + token)).isEqualTo("x****");
    }

    @Test
    void aWrongTokenIsAccessDeniedSayingWhatToCheck() {
        ClusterTarget wrong = new ClusterTarget.ApiServer(
                CLUSTER.url().toString(), Secret.of("not-the-token"), TestTls.certificatePem());
        try (KubeConnection kube = KubeConnection.open(
                        wrong, null, null, Map.of(), new Redactor(), Clock.systemUTC(), Duration.ofSeconds(10));
                AwsClients aws = new AwsClients(AwsSettings.defaults(), new Redactor(), Map.of())) {
            var flux = new io.jenkins.plugins.fluxcodecommit.flux.FluxCluster(
                    kube.client(), kube.describe(), new Redactor(), m -> {}, Clock.systemUTC());
            assertThatThrownBy(() -> flux.kustomization("flux-system"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("did not accept the credentials")
                    .hasMessageNotContaining("not-the-token");
        }
    }

    @Test
    void anEksClusterThatDoesNotExistIsNamed() {
        AwsKeys keys = MOTO.createUserWithKey("eks-missing");
        try (AwsClients aws =
                new AwsClients(AwsSettings.defaults().withEksEndpoint(MOTO.endpoint()), new Redactor(), Map.of())) {
            assertThatThrownBy(() -> KubeConnection.open(
                            new ClusterTarget.Eks("no-such-cluster", "eu-west-1", keys),
                            aws,
                            null,
                            Map.of(),
                            new Redactor(),
                            Clock.systemUTC(),
                            Duration.ofSeconds(10)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("There is no EKS cluster 'no-such-cluster' in eu-west-1")
                    .hasMessageContaining("aws eks list-clusters --region eu-west-1");
        }
    }

    @Test
    void eksTokenIsAPresignedGetCallerIdentityWithAValidSignature() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("eks-token-user");
        Secret token = EksToken.create(keys, "eu-west-1", "prod", Instant.now());
        assertThat(token.reveal()).startsWith("k8s-aws-v1.").doesNotContain("=");
        URI presigned = URI.create(new String(
                Base64.getUrlDecoder().decode(token.reveal().substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
        assertThat(presigned.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
        Map<String, String> query = Arrays.stream(presigned.getRawQuery().split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertThat(query).containsEntry("Action", "GetCallerIdentity").containsEntry("X-Amz-Expires", "60");
        assertThat(query.get("X-Amz-SignedHeaders")).contains("host").contains("x-k8s-aws-id");
        assertThat(query.get("X-Amz-Credential"))
                .startsWith(keys.accessKeyId() + "/")
                .contains("/eu-west-1/sts/aws4_request");
        assertThat(query.get("X-Amz-Signature")).matches("[0-9a-f]{64}");
        // Verify the signature the way STS does, independently of the SDK that made it: SigV4 over
        // GET /, the canonical query without the signature, the two signed headers, and the hash
        // of the empty payload.
        String canonicalQuery = query.entrySet().stream()
                .filter(e -> !e.getKey().equals("X-Amz-Signature"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String canonicalRequest = "GET\n/\n" + canonicalQuery
                + "\nhost:sts.eu-west-1.amazonaws.com\nx-k8s-aws-id:prod\n\n" + "host;x-k8s-aws-id\n" + hex(sha256(""));
        String amzDate = query.get("X-Amz-Date");
        String scope = amzDate.substring(0, 8) + "/eu-west-1/sts/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
        byte[] key = hmac(
                ("AWS4" + keys.secretAccessKey().reveal()).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        for (String part : new String[] {"eu-west-1", "sts", "aws4_request"}) {
            key = hmac(key, part);
        }
        assertThat(query.get("X-Amz-Signature")).isEqualTo(hex(hmac(key, stringToSign)));
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] sha256(String s) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Test
    void chinaRegionsUseTheirStsHost() {
        assertThat(EksToken.stsHost("cn-north-1")).isEqualTo("sts.cn-north-1.amazonaws.com.cn");
    }
}
