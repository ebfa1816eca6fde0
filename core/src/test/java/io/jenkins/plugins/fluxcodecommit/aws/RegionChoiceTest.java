package io.jenkins.plugins.fluxcodecommit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionChoiceTest {
    private static final CodeCommitUrl EU =
            CodeCommitUrl.parse("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r");
    private static final CodeCommitUrl PLAIN = CodeCommitUrl.parse("https://git.example.com/v1/repos/r");

    @Test
    void explicitRegionWins() {
        assertThat(RegionChoice.resolve("us-east-1", PLAIN, Map.of("AWS_REGION", "eu-west-2")))
                .isEqualTo(new RegionChoice("us-east-1", RegionChoice.Source.EXPLICIT));
    }

    @Test
    void urlRegionComesBeforeTheEnvironment() {
        assertThat(RegionChoice.resolve(null, EU, Map.of("AWS_REGION", "us-east-1"))
                        .region())
                .isEqualTo("eu-west-1");
    }

    @Test
    void environmentIsTheLastResort() {
        assertThat(RegionChoice.resolve(null, PLAIN, Map.of("AWS_DEFAULT_REGION", "ap-south-1")))
                .isEqualTo(new RegionChoice("ap-south-1", RegionChoice.Source.ENVIRONMENT));
    }

    @Test
    void noRegionAnywhereIsAnErrorNotADefault() {
        assertThatThrownBy(() -> RegionChoice.resolve(null, PLAIN, Map.of())).hasMessageContaining("No AWS region");
    }

    @Test
    void explicitRegionContradictingTheUrlIsRefused() {
        assertThatThrownBy(() -> RegionChoice.resolve("us-east-1", EU, Map.of()))
                .hasMessageContaining("differs from the repository URL's region (eu-west-1)");
    }

    @Test
    void unknownRegionInTheEnvironmentIsNamed() {
        assertThatThrownBy(() -> RegionChoice.resolve(null, PLAIN, Map.of("AWS_REGION", "mars-1")))
                .hasMessageContaining("'mars-1'")
                .hasMessageContaining("$AWS_REGION");
    }
}
