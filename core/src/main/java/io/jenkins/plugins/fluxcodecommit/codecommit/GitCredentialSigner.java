package io.jenkins.plugins.fluxcodecommit.codecommit;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes CodeCommit's temporary HTTPS Git credentials from IAM keys ("SigV4 for Git").
 *
 * <p>CodeCommit signs a canonical request of its own ({@code GIT} method, the repository path, the
 * host header only, no payload hash), so a generic SigV4 signer cannot produce it. The password is
 * valid for about 15 minutes from its timestamp.
 */
public final class GitCredentialSigner {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String SERVICE = "codecommit";
    private static final HexFormat HEX = HexFormat.of();

    private GitCredentialSigner() {}

    /**
     * Signs access to one repository.
     *
     * @param host the Git host as in the URL, without port
     * @param path the repository path, e.g. {@code /v1/repos/my-repo}
     */
    public static GitHttpCredential sign(AwsKeys keys, String region, String host, String path, Instant now) {
        String timestamp = TIMESTAMP.format(now);
        String canonicalRequest = "GIT\n" + path + "\n\nhost:" + host.toLowerCase(Locale.ROOT) + "\n\nhost\n";
        String scope = timestamp.substring(0, 8) + "/" + region + "/" + SERVICE + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + hex(sha256(canonicalRequest));

        byte[] key = hmac(
                ("AWS4" + keys.secretAccessKey().reveal()).getBytes(StandardCharsets.UTF_8), timestamp.substring(0, 8));
        key = hmac(key, region);
        key = hmac(key, SERVICE);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));

        String username = keys.sessionToken() == null
                ? keys.accessKeyId()
                : keys.accessKeyId() + "%" + keys.sessionToken().reveal();
        return new GitHttpCredential(
                keys.accessKeyId(), Secret.of(username), Secret.of(timestamp + "Z" + signature), now);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
