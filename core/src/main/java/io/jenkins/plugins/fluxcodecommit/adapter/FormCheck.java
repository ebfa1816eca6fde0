package io.jenkins.plugins.fluxcodecommit.adapter;

import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.Regions;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.codecommit.SshKeyId;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.util.regex.Pattern;

/**
 * The answer to one form field's check, as Jenkins shows it under the field: the checks
 * themselves are here so that every build tests them. Messages never repeat a secret: a value
 * that fails a check may be a secret pasted into the wrong field, so only its first characters
 * are named.
 */
public record FormCheck(Level level, String message) {
    public enum Level {
        OK,
        WARNING,
        ERROR
    }

    private static final Pattern ACCESS_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{12,124}");
    private static final Pattern SECRET_KEY = Pattern.compile("[A-Za-z0-9/+=]{40}");
    private static final Pattern SSH_KEY_ID = Pattern.compile("APKA[A-Z0-9]{16,124}");
    private static final Pattern IAM_USER = Pattern.compile("[\\w+=,.@-]{1,64}");

    public static FormCheck ok() {
        return new FormCheck(Level.OK, null);
    }

    public static FormCheck ok(String message) {
        return new FormCheck(Level.OK, message);
    }

    public static FormCheck warning(String message) {
        return new FormCheck(Level.WARNING, message);
    }

    public static FormCheck error(String message) {
        return new FormCheck(Level.ERROR, message);
    }

    public static FormCheck accessKeyId(String value) {
        if (blank(value)) {
            return ok();
        }
        String v = value.strip();
        if (!ACCESS_KEY_ID.matcher(v).matches()) {
            return error("'" + abbreviate(v) + "' is not an access key ID: they start AKIA (IAM user) or ASIA"
                    + " (temporary) followed by upper-case letters and digits. Check that the key ID and the"
                    + " secret key were not swapped.");
        }
        if (v.startsWith("ASIA")) {
            return warning("ASIA keys are temporary and stop working within hours; store an IAM user's AKIA key,"
                    + " or a role to assume.");
        }
        return ok();
    }

    public static FormCheck secretAccessKey(String value, String accessKeyId) {
        if (blank(value)) {
            return blank(accessKeyId) ? ok() : error("The access key ID needs its secret access key.");
        }
        String v = value.strip();
        if (ACCESS_KEY_ID.matcher(v).matches()) {
            return error("This looks like an access key ID, not a secret key: the two fields may be swapped.");
        }
        if (!SECRET_KEY.matcher(v).matches()) {
            return warning("IAM secret access keys are 40 characters of letters, digits, / and +; check the value.");
        }
        return ok();
    }

    public static FormCheck roleArn(String value) {
        if (blank(value)) {
            return ok();
        }
        return fromEngine(() -> AssumeRole.of(null, value.strip()));
    }

    public static FormCheck region(String value) {
        if (blank(value)) {
            return ok();
        }
        return fromEngine(() -> Regions.requireKnown(value.strip(), null));
    }

    public static FormCheck iamUser(String value) {
        if (blank(value) || IAM_USER.matcher(value.strip()).matches()) {
            return ok();
        }
        return error("'" + value.strip() + "' is not an IAM user name: up to 64 letters, digits and +=,.@_-.");
    }

    public static FormCheck sshKeyId(String value) {
        if (blank(value)) {
            return ok();
        }
        String v = value.strip();
        String mistake = SshKeyId.mistake(v);
        if (mistake != null) {
            return error("'" + v + "' " + mistake + ".");
        }
        if (!SSH_KEY_ID.matcher(v).matches()) {
            return error("'" + v + "' is not an SSH key ID: IAM gives each uploaded SSH public key an ID of 20"
                    + " upper-case characters starting APKA (IAM > Users > Security credentials > SSH public"
                    + " keys for AWS CodeCommit). It is not the IAM user name.");
        }
        return ok();
    }

    /** Parses the key as the engine will; the answer names the key's type, size and fingerprint. */
    public static FormCheck privateKey(String pem, String passphrase) {
        if (blank(pem)) {
            return ok();
        }
        try {
            SshKeyPair key = SshKeyPair.parse(Secret.of(pem), blank(passphrase) ? null : Secret.of(passphrase))
                    .requireCodeCommitCompatible();
            return ok(key.algorithm() + " " + key.bits() + " bits, " + key.fingerprintSha256());
        } catch (FluxCodeCommitException e) {
            return error(e.getMessage());
        }
    }

    public static FormCheck url(String value) {
        if (blank(value)) {
            return error("Give the repository's clone URL (https://git-codecommit.REGION.amazonaws.com/v1/repos/NAME"
                    + " or ssh://KEYID@git-codecommit.REGION.amazonaws.com/v1/repos/NAME).");
        }
        return fromEngine(() -> CodeCommitUrl.parse(value.strip()));
    }

    public static FormCheck duration(String value, String what) {
        if (blank(value)) {
            return ok();
        }
        return fromEngine(() -> GoDuration.parse(value.strip(), what));
    }

    /** The sync interval, by the rule bootstrap applies: refused below 10s, a warning below 1m. */
    public static FormCheck interval(String value) {
        if (blank(value)) {
            return ok();
        }
        StringBuilder warning = new StringBuilder();
        FormCheck checked = fromEngine(() -> io.jenkins.plugins.fluxcodecommit.flux.BootstrapChecks.validInterval(
                value.strip(), message -> warning.append(message)));
        return checked.level() == Level.OK && warning.length() > 0 ? warning(warning + ".") : checked;
    }

    /**
     * A CA file is a path on the agent, read when the step runs; the form can only tell a pasted
     * certificate or key from a path.
     */
    public static FormCheck caFile(String value) {
        if (blank(value)) {
            return ok();
        }
        if (value.contains("-----BEGIN") || value.contains("\n")) {
            return error("This field takes the path of a PEM file on the agent (relative to the workspace), not the"
                    + " certificate itself. Write the certificate to a file first, e.g. with writeFile.");
        }
        return ok();
    }

    public static FormCheck kind(String value) {
        return fromEngine(() -> CredentialKind.parse(value));
    }

    private static FormCheck fromEngine(Runnable check) {
        try {
            check.run();
            return ok();
        } catch (FluxCodeCommitException e) {
            return error(e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String abbreviate(String value) {
        return value.length() <= 4 ? "****" : value.substring(0, 4) + "****";
    }
}
