package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings out of range are refused where a request or a fleet is built, whichever front end built it. */
class RotationLimitsTest {
    private static RotationRequest request(Duration maxAge, Duration deleteAfter, Duration verifyTimeout) {
        return new RotationRequest(
                "prod",
                CredentialKind.ACCESS_KEY,
                "prod_codecommit_user",
                null,
                "us-east-1",
                null,
                List.of(),
                null,
                maxAge,
                false,
                false,
                deleteAfter,
                verifyTimeout,
                null,
                null);
    }

    @Test
    void aNegativeOrZeroMaximumAgeIsRefused() {
        assertThatThrownBy(() -> request(Duration.ofDays(-1), Duration.ZERO, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is -1: a maximum age is 1 day or more");
        assertThatThrownBy(() -> RotationLimits.maxAgeDays(0, "--max-age-days"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--max-age-days is 0");
    }

    @Test
    void aVerificationTimeoutOfZeroOrLessIsRefused() {
        assertThatThrownBy(() -> request(null, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("verifyTimeout) is 0s")
                .hasMessageContaining("above zero");
        assertThatThrownBy(() -> request(null, Duration.ZERO, Duration.ofSeconds(-5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is -5s");
    }

    @Test
    void aNegativeGracePeriodIsRefusedAndNeverIsAllowed() {
        assertThatThrownBy(() -> request(null, Duration.ofMinutes(-5), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("deleteAfter) is -300s: a grace period cannot be negative");
        request(null, null, null);
    }

    @Test
    void aConcurrencyOutsideOneToAHundredIsRefused() {
        for (int n : new int[] {0, -1, 101}) {
            assertThatThrownBy(() -> new FleetRotation(List.of(), n, Map.of(), java.time.Clock.systemUTC()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("is " + n + ": between 1 and 100 clusters rotate at once");
        }
    }
}
