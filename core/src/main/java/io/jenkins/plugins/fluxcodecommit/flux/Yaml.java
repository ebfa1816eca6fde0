package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Kubernetes YAML in and out: multi-document parsing, and writing with sorted keys like Flux's generators. */
public final class Yaml {
    static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Yaml() {}

    /** Every non-empty document of a multi-document YAML text, as objects. */
    public static List<ObjectNode> parseAll(String text, String origin) {
        List<ObjectNode> out = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) MAPPER.getFactory().createParser(text)) {
            var docs = MAPPER.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode node = docs.next();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!(node instanceof ObjectNode object)) {
                    throw new InvalidInputException(
                            origin + " holds a YAML document that is not an object.", "Check the file.");
                }
                out.add(object);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(
                    origin + " is not valid YAML: "
                            + e.getMessage().lines().findFirst().orElse("") + ".",
                    "Check the file's syntax.");
        }
        return out;
    }

    /** One object as YAML (sorted keys, no document marker). */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String kind(ObjectNode o) {
        return o.path("kind").asText();
    }

    static String name(ObjectNode o) {
        return o.path("metadata").path("name").asText();
    }

    /** {@code Kind/namespace/name}, for logs and plans. */
    public static String id(ObjectNode o) {
        String ns = o.path("metadata").path("namespace").asText("");
        return kind(o) + "/" + (ns.isEmpty() ? "" : ns + "/") + name(o);
    }
}
