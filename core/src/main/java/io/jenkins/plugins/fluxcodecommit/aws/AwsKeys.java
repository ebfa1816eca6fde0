package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.util.regex.Pattern;

/**
 * An access key pair, with the session token of temporary credentials. Used both as an identity
 * given by the user and as the resolved credentials of any other identity at one moment.
 */
public record AwsKeys(String accessKeyId, Secret secretAccessKey, Secret sessionToken) implements AwsIdentity {
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern LOOKS_LIKE_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{12,124}");

    public AwsKeys {
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new InvalidInputException(
                    "No AWS access key ID was given.",
                    "Give the access key ID (AKIA... for an IAM user, ASIA... for temporary credentials).");
        }
        if (!KEY_ID.matcher(accessKeyId).matches()) {
            throw new InvalidInputException(
                    "'" + abbreviate(accessKeyId) + "' is not an AWS access key ID.",
                    "An access key ID is 16 to 128 upper-case letters and digits, such as AKIAIOSFODNN7EXAMPLE;"
                            + " check that the key ID and the secret key were not swapped.");
        }
        if (secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new InvalidInputException(
                    "No secret access key was given for access key " + accessKeyId + ".",
                    "Give the secret access key that IAM showed when the key was created.");
        }
        if (sessionToken != null && sessionToken.isEmpty()) {
            sessionToken = null;
        }
    }

    /**
     * Keys as a user gave them, checked against their kind before any call, as AWS would refuse
     * them later with a message that does not say why ("The security token included in the request
     * is invalid"): a temporary key (ASIA…) needs the session token issued with it, a long-term key
     * (AKIA…) takes none, and a secret that is itself a key ID was swapped with it.
     *
     * @param keyOrigin how the key ID was given, such as {@code --access-key-id} or
     *     {@code AWS_ACCESS_KEY_ID}
     * @param tokenOrigin where the session token came from, or {@code null} when there is none
     * @param tokenHow how a session token is given here, for the fix
     */
    public static AwsKeys given(
            String accessKeyId,
            Secret secretAccessKey,
            Secret sessionToken,
            String keyOrigin,
            String tokenOrigin,
            String tokenHow) {
        AwsKeys keys = new AwsKeys(accessKeyId, secretAccessKey, sessionToken);
        String id = keys.accessKeyId();
        if (LOOKS_LIKE_KEY_ID.matcher(keys.secretAccessKey().reveal()).matches()) {
            throw new InvalidInputException(
                    "The secret access key given for " + keyOrigin + " " + id + " looks like an access key ID ('"
                            + abbreviate(keys.secretAccessKey().reveal()) + "').",
                    "Check that the key ID and the secret key were not swapped: the secret is the 40-character"
                            + " value IAM showed once when the key was created.");
        }
        if (id.startsWith("ASIA") && !keys.temporary()) {
            throw new InvalidInputException(
                    keyOrigin + " " + id + " is a temporary key (ASIA…) but no session token was given.",
                    "Give the session token issued with the key: " + tokenHow + ".");
        }
        if (id.startsWith("AKIA") && keys.temporary()) {
            throw new InvalidInputException(
                    keyOrigin + " " + id + " is a long-term IAM user key (AKIA…), and a session token was given ("
                            + tokenOrigin + "); AWS refuses a long-term key with a session token.",
                    "Drop the session token (a leftover of an earlier session?), or give the temporary key (ASIA…)"
                            + " it was issued with.");
        }
        return keys;
    }

    public static AwsKeys of(String accessKeyId, String secretAccessKey) {
        return new AwsKeys(accessKeyId, Secret.of(secretAccessKey), null);
    }

    public static AwsKeys of(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new AwsKeys(accessKeyId, Secret.of(secretAccessKey), Secret.of(sessionToken));
    }

    public boolean temporary() {
        return sessionToken != null;
    }

    @Override
    public String describe() {
        return "access key " + accessKeyId + (temporary() ? " (temporary, with session token)" : "");
    }

    // A value that failed validation may be a secret pasted into the wrong field: show only its start.
    private static String abbreviate(String value) {
        return value.length() <= 4 ? "****" : value.substring(0, 4) + "****";
    }
}
