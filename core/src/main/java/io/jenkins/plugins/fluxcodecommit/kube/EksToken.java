package io.jenkins.plugins.fluxcodecommit.kube;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * An EKS authentication token: {@code k8s-aws-v1.} and the base64url of a presigned STS
 * GetCallerIdentity URL that carries the cluster name in the signed {@code x-k8s-aws-id} header.
 * The cluster's authenticator calls STS with it to learn the caller; it is accepted for about 15
 * minutes, and is refreshed after {@link #REFRESH_AFTER}. The payload is signed as empty, as STS
 * expects of presigned requests (only S3 takes UNSIGNED-PAYLOAD).
 */
public final class EksToken {
    public static final Duration REFRESH_AFTER = Duration.ofMinutes(10);
    private static final Duration PRESIGN_EXPIRY = Duration.ofSeconds(60);

    private EksToken() {}

    /** The regional STS host name the authenticator accepts; never a VPC endpoint alias. */
    static String stsHost(String region) {
        return "sts." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
    }

    public static Secret create(AwsKeys keys, String region, String clusterName, Instant now) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://" + stsHost(region) + "/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader("x-k8s-aws-id", clusterName)
                .build();
        var credentials = keys.sessionToken() == null
                ? AwsBasicCredentials.create(
                        keys.accessKeyId(), keys.secretAccessKey().reveal())
                : AwsSessionCredentials.create(
                        keys.accessKeyId(),
                        keys.secretAccessKey().reveal(),
                        keys.sessionToken().reveal());
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(credentials)
                        .request(request)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                                AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, PRESIGN_EXPIRY)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));
        String url = signed.request().getUri().toString();
        return Secret.of("k8s-aws-v1."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8)));
    }
}
