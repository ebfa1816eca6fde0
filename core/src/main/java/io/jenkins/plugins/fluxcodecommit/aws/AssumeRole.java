package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A role assumed with STS from another identity. The assumed credentials are refreshed before they
 * expire, so operations longer than the session (bootstrap health waits, fleet rotations) keep
 * working.
 */
public record AssumeRole(AwsIdentity source, String roleArn, String externalId, String sessionName, Duration duration)
        implements AwsIdentity {
    public static final String DEFAULT_SESSION_NAME = "flux-codecommit";
    public static final Duration DEFAULT_DURATION = Duration.ofHours(1);

    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    public AssumeRole {
        if (source == null) {
            source = DefaultChain.create();
        }
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            throw new InvalidInputException(
                    "'" + roleArn + "' is not an IAM role ARN.",
                    "Give the role's ARN as IAM shows it, e.g. arn:aws:iam::123456789012:role/flux-bootstrap.");
        }
        if (externalId != null && externalId.isBlank()) {
            externalId = null;
        }
        if (sessionName == null || sessionName.isBlank()) {
            sessionName = DEFAULT_SESSION_NAME;
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new InvalidInputException(
                    "Role session name '" + sessionName + "' is not allowed by STS.",
                    "Use 2 to 64 characters of letters, digits and +=,.@_-.");
        }
        if (duration == null) {
            duration = DEFAULT_DURATION;
        }
        if (duration.compareTo(Duration.ofMinutes(15)) < 0 || duration.compareTo(Duration.ofHours(12)) > 0) {
            throw new InvalidInputException(
                    "Role session duration " + duration + " is outside what STS allows.",
                    "Use a duration from 15 minutes to 12 hours (and within the role's maximum session duration).");
        }
    }

    public static AssumeRole of(AwsIdentity source, String roleArn) {
        return new AssumeRole(source, roleArn, null, null, null);
    }

    @Override
    public String describe() {
        return "role " + roleArn + " assumed from " + source.describe();
    }
}
