package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** go-yaml v2's output, as kustomize writes it, reproduced byte for byte. */
class GoYamlTest {
    @Test
    void ordersKeysAsGoYamlDoesNonLettersFirstAndDigitRunsByValue() {
        List<String> keys = new ArrayList<>(List.of("b", "a10", "a9", "A", "_x", "a", "x-b", "x.a", "a09"));
        keys.sort(GoYaml.KEY_ORDER);
        assertThat(keys).containsExactly("_x", "A", "a", "a9", "a09", "a10", "b", "x-b", "x.a");
    }

    @Test
    void quotesStringsThatWouldReadBackAsAnotherType() {
        assertThat(one("v", "true")).isEqualTo("v: \"true\"\n");
        assertThat(one("v", "yes")).isEqualTo("v: \"yes\"\n");
        assertThat(one("v", "1.0")).isEqualTo("v: \"1.0\"\n");
        assertThat(one("v", "0x1F")).isEqualTo("v: \"0x1F\"\n");
        assertThat(one("v", "2026-01-01")).isEqualTo("v: \"2026-01-01\"\n");
        assertThat(one("v", "1:20")).isEqualTo("v: \"1:20\"\n");
        assertThat(one("v", "")).isEqualTo("v: \"\"\n");
        assertThat(one("v", "v2.9.4")).isEqualTo("v: v2.9.4\n");
        assertThat(one("v", "1m0s")).isEqualTo("v: 1m0s\n");
        assertThat(one("v", "<<")).isEqualTo("v: <<\n");
    }

    @Test
    void fallsBackToSingleThenDoubleQuotesWhereThePlainStyleCannotHoldTheText() {
        assertThat(one("v", "a: b")).isEqualTo("v: 'a: b'\n");
        assertThat(one("v", "it's: x")).isEqualTo("v: 'it''s: x'\n");
        assertThat(one("v", "*")).isEqualTo("v: '*'\n");
        assertThat(one("v", " lead")).isEqualTo("v: ' lead'\n");
        assertThat(one("v", "tab\there")).isEqualTo("v: \"tab\\there\"\n");
        assertThat(one("v", "emoji \uD83D\uDE00")).isEqualTo("v: \"emoji \\U0001F600\"\n");
    }

    @Test
    void writesLineBreaksAsLiteralBlocksWithTheirChomping() {
        assertThat(one("v", "a\nb")).isEqualTo("v: |-\n  a\n  b\n");
        assertThat(one("v", "a\nb\n")).isEqualTo("v: |\n  a\n  b\n");
        assertThat(one("v", "a\n\n")).isEqualTo("v: |+\n  a\n\n...\n");
        assertThat(one("v", " a\nb")).isEqualTo("v: |2-\n   a\n  b\n");
        assertThat(one("v", "a \nb")).isEqualTo("v: \"a \\nb\"\n");
    }

    @Test
    void foldsLongTextAtTheFirstSpacePastColumnEighty() {
        String words = "word ".repeat(20).strip();
        String plain = one("description", words);
        assertThat(plain.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(85));
        assertThat(plain).startsWith("description: word word").contains("\n  word");
        assertThat(Yaml.parseAll(plain, "t").get(0).path("description").asText())
                .isEqualTo(words);
    }

    @Test
    void writesEmptyCollectionsInFlowStyleAndSequencesUnindentedInMappings() {
        ObjectNode o = Yaml.object();
        o.putObject("empty");
        o.putArray("none");
        o.putArray("list").add("a").addObject().put("k", 1).put("j", true);
        o.putNull("nothing");
        o.put("half", 0.5);
        o.put("big", 1.5e7);
        assertThat(GoYaml.write(o))
                .isEqualTo(
                        "big: 1.5e+07\nempty: {}\nhalf: 0.5\nlist:\n- a\n- j: true\n  k: 1\nnone: []\nnothing: null\n");
    }

    private static String one(String key, String value) {
        ObjectNode o = Yaml.object();
        o.put(key, value);
        return GoYaml.write(o);
    }
}
