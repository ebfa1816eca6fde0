package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 10, defect 9: a bootstrap does not overwrite a source secret whose rotation is unfinished. */
class BootstrapDuringRotationTest {
    private static Optional<FluxCluster.ExistingSecret> withPhase(String phase) {
        return Optional.of(new FluxCluster.ExistingSecret(
                "Opaque", Map.of("identity", "x"), Map.of("rotation.flux-codecommit.io/phase", phase)));
    }

    @Test
    void anUnfinishedRotationStopsTheBootstrapNamingThePhaseAndTheFix() {
        assertThatThrownBy(
                        () -> BootstrapChecks.refuseDuringRotation(withPhase("written"), "flux-system", "flux-system"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Secret flux-system/flux-system")
                .hasMessageContaining("phase written")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((InvalidInputException) e).fix())
                        .contains("Run the rotation again"));
    }

    @Test
    void aFinishedRotationOrNoneLetsTheBootstrapGoOn() {
        assertThatCode(() -> BootstrapChecks.refuseDuringRotation(withPhase("done"), "flux-system", "flux-system"))
                .doesNotThrowAnyException();
        assertThatCode(() -> BootstrapChecks.refuseDuringRotation(
                        Optional.of(new FluxCluster.ExistingSecret("Opaque", Map.of())), "flux-system", "flux-system"))
                .doesNotThrowAnyException();
        assertThatCode(() -> BootstrapChecks.refuseDuringRotation(Optional.empty(), "flux-system", "flux-system"))
                .doesNotThrowAnyException();
    }
}
