package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;

/**
 * The ranges a rotation's settings must lie in, checked where each front end reads them (so the
 * message names the flag or key the user typed) and again when a request is built.
 */
public final class RotationLimits {
    /** More clusters at once than this only queues on IAM's throttling. */
    public static final int MAX_CONCURRENCY = 100;

    private RotationLimits() {}

    /** A maximum age of one day or more; {@code name} is the flag or key it came from. */
    public static Duration maxAgeDays(long days, String name) {
        if (days < 1) {
            throw new InvalidInputException(
                    name + " is " + days + ": a maximum age is 1 day or more.",
                    "Give the age in days after which a credential is rotated, e.g. 365; to rotate whatever the"
                            + " age, force the rotation instead (--force, force: true).");
        }
        return Duration.ofDays(days);
    }

    /** How many clusters rotate at once: 1 to {@link #MAX_CONCURRENCY}. */
    public static int concurrency(int clusters, String name) {
        if (clusters < 1 || clusters > MAX_CONCURRENCY) {
            throw new InvalidInputException(
                    name + " is " + clusters + ": between 1 and " + MAX_CONCURRENCY + " clusters rotate at once.",
                    "Give a number from 1 to " + MAX_CONCURRENCY + " (1 rotates one cluster after another).");
        }
        return clusters;
    }

    /** How long to wait for a new credential to work: more than zero. */
    public static Duration verifyTimeout(Duration timeout, String name) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidInputException(
                    name + " is " + describe(timeout) + ": a new credential needs time to reach IAM's every region.",
                    "Give a duration above zero, such as 2m (the default) or 5m.");
        }
        return timeout;
    }

    /** The grace period before an old credential is deleted: zero or more; {@code null} keeps it. */
    public static Duration deleteAfter(Duration grace, String name) {
        if (grace != null && grace.isNegative()) {
            throw new InvalidInputException(
                    name + " is " + describe(grace) + ": a grace period cannot be negative.",
                    "Give 0s to delete the old credential at once, a duration such as 168h, or 'never'.");
        }
        return grace;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
