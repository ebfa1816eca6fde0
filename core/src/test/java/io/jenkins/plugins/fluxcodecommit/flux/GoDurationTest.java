package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void formatsLikeGoIncludingFractionsZeroAndNegatives() {
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofMillis(90_250))).isEqualTo("1m30.25s");
        assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
    }

    @Test
    void aNegativeDurationIsNamedAsSuchWithTheFormToUse() {
        assertThatThrownBy(() -> GoDuration.parse("-1s", "--timeout"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'-1s' is a negative duration for --timeout")
                .satisfies(e -> assertThat(((InvalidInputException) e).fix()).contains("30s, 5m or 1h30m"));
    }

    @Test
    void anEmptyDurationSaysWhatItWasFor() {
        assertThatThrownBy(() -> GoDuration.parse(" ", "the sync interval"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("No duration was given for the sync interval.");
    }

    @Test
    void anExplicitPlusSignIsAcceptedAsGoDoes() {
        assertThat(GoDuration.parse("+90s", "interval")).isEqualTo(Duration.ofSeconds(90));
    }
}
