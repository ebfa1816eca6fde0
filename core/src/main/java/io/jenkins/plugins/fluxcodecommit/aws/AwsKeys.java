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
