package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedManifestsTest {
    static final String TEXT = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: source-controller\n---\n"
            + "apiVersion: v1\nkind: Service\nmetadata:\n  name: source-controller\n";

    @Test
    void theSameTextGivesTheSameDocumentsAsAFreshParseEachTime() {
        List<ObjectNode> first = ParsedManifests.parse(TEXT, "source-controller.yaml");
        List<ObjectNode> second = ParsedManifests.parse(TEXT, "source-controller.yaml");

        assertThat(second).isEqualTo(Yaml.parseAll(TEXT, "source-controller.yaml"));
        assertThat(second).hasSize(2);
        assertThat(second.get(0)).isNotSameAs(first.get(0));
    }

    @Test
    void anEditOfTheDocumentsHandedOutDoesNotReachTheNextCaller() {
        List<ObjectNode> edited = ParsedManifests.parse(TEXT, "source-controller.yaml");
        edited.get(0).with("metadata").put("namespace", "edited");

        List<ObjectNode> next = ParsedManifests.parse(TEXT, "source-controller.yaml");

        assertThat(next.get(0).path("metadata").has("namespace")).isFalse();
    }

    @Test
    void invalidYamlIsRefusedNamingTheFileEveryTime() {
        String broken = "kind: [unclosed\n";
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> ParsedManifests.parse(broken, "rbac.yaml"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("rbac.yaml");
        }
    }
}
