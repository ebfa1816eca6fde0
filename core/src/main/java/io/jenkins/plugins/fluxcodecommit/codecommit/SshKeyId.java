package io.jenkins.plugins.fluxcodecommit.codecommit;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ID IAM gives an uploaded SSH public key, which CodeCommit takes as the SSH user: issued as
 * APKA and 16 upper-case letters and digits (20 characters); IAM's API allows {@code \w{20,128}}.
 */
public final class SshKeyId {
    /** The length of the key IDs IAM issues. */
    public static final int ISSUED_LENGTH = 20;

    public static final String EXAMPLE = "APKAEIBAERJR2EXAMPLE";

    // Issued IDs are upper case; lower case is taken as a key ID only after the APKA prefix, as
    // the API allows it, so that IAM user names get their own helpful error.
    private static final Pattern ISSUED_ALPHABET = Pattern.compile("[A-Z0-9_]{20,128}");
    private static final Pattern API_ALPHABET = Pattern.compile("\\w{20,128}");
    private static final Pattern KEY_ID_CHARACTERS = Pattern.compile("\\w+");

    private SshKeyId() {}

    /** True for a value IAM could have issued as an SSH key ID. */
    public static boolean isValid(String value) {
        return value != null
                && !isAccessKeyId(value)
                && (ISSUED_ALPHABET.matcher(value).matches()
                        || (value.startsWith("APKA")
                                && API_ALPHABET.matcher(value).matches()));
    }

    /**
     * What is wrong with a value that is meant as a key ID but was changed on the way (lower case,
     * cut short), said as the end of a sentence starting with the value; {@code null} when the
     * value is a valid key ID or does not look like one at all (an IAM user name, say).
     */
    public static String mistake(String value) {
        if (value == null || isValid(value)) {
            return null;
        }
        if (isAccessKeyId(value)) {
            return "is an IAM access key ID, not an SSH key ID; SSH key IDs start APKA";
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("APKA") || !KEY_ID_CHARACTERS.matcher(value).matches()) {
            return null;
        }
        boolean lowerCase = !value.startsWith("APKA");
        boolean truncated = value.length() < ISSUED_LENGTH;
        String shape =
                "SSH key IDs are APKA and 16 upper-case letters and digits, " + ISSUED_LENGTH + " characters in all";
        if (lowerCase && truncated) {
            return "looks like an SSH key ID, but it is in lower case and has only " + value.length()
                    + " characters (cut short?); " + shape;
        }
        if (lowerCase) {
            return "looks like an SSH key ID written in lower case; " + shape;
        }
        return "looks like an SSH key ID, but it has only " + value.length() + " characters (cut short?); " + shape;
    }

    private static boolean isAccessKeyId(String value) {
        return (value.startsWith("AKIA") || value.startsWith("ASIA"))
                && ISSUED_ALPHABET.matcher(value).matches();
    }

    /** The value as a key ID would be written: upper case. */
    static String upperCase(String value) {
        return value.toUpperCase(Locale.ROOT);
    }
}
