package io.jenkins.plugins.fluxcodecommit.rotation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML value and the line it was written on, so that a message about a file a person wrote can
 * point at the line. A mapping's values carry the line of their key.
 *
 * @param value a {@code Map<String, YamlNode>} (in the file's order), a {@code List<YamlNode>},
 *     or a {@link Scalar}
 */
record YamlNode(Object value, int line) {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** A scalar as written, with the type YAML gives it (a string, a number, a boolean, null). */
    record Scalar(String text, JsonToken token) {}

    /** Parses one YAML document; syntax errors name the line and column, never the parser. */
    static YamlNode parse(String text, String origin) {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return new YamlNode(new Scalar("", JsonToken.VALUE_NULL), 1);
            }
            YamlNode root = read(parser, line(parser), origin);
            if (parser.nextToken() != null) {
                throw new InvalidInputException(
                        origin + " line " + line(parser) + ": a second YAML document starts here.",
                        "Keep the whole file in one document (remove the '---').");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntax(e, origin);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read " + origin + ": " + e.getMessage(), "Check the file.");
        }
    }

    private static YamlNode read(YAMLParser parser, int line, String origin) throws IOException {
        if (parser.isCurrentAlias()) {
            throw new InvalidInputException(
                    origin + " line " + line(parser) + ": the alias *" + parser.getText() + " is not supported here.",
                    "Write the value out, or put what clusters share under 'defaults'.");
        }
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = line(parser);
                if (entries.containsKey(key)) {
                    throw new InvalidInputException(
                            origin + " line " + keyLine + ": '" + key + "' is given twice (first at line "
                                    + entries.get(key).line() + ").",
                            "Keep one '" + key + "'.");
                }
                parser.nextToken();
                entries.put(key, read(parser, keyLine, origin));
            }
            return new YamlNode(Collections.unmodifiableMap(entries), line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(parser, line(parser), origin));
            }
            return new YamlNode(List.copyOf(items), line);
        }
        return new YamlNode(new Scalar(parser.getText(), token), line);
    }

    private static int line(YAMLParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static InvalidInputException syntax(JsonProcessingException e, String origin) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark at = marked.getProblemMark();
            String context = marked.getContext() == null
                    ? ""
                    : " (" + marked.getContext()
                            + (marked.getContextMark() == null
                                    ? ""
                                    : " that starts at line "
                                            + (marked.getContextMark().getLine() + 1))
                            + ")";
            return invalid(origin, at.getLine() + 1, at.getColumn() + 1, marked.getProblem() + context);
        }
        JsonLocation at = e.getLocation();
        String first = e.getOriginalMessage() == null
                ? "unreadable"
                : e.getOriginalMessage().lines().findFirst().orElse("unreadable");
        return invalid(origin, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), first);
    }

    private static InvalidInputException invalid(String origin, int line, int column, String problem) {
        return new InvalidInputException(
                origin + " is not valid YAML at line " + line + ", column " + column + ": " + problem + ".",
                "Check the indentation and quoting at line " + line + ": the keys of one mapping start in one"
                        + " column, list items with '- ', and a value holding ': ' or '#' goes in quotes.");
    }

    boolean isMap() {
        return value instanceof Map;
    }

    boolean isList() {
        return value instanceof List;
    }

    boolean isNull() {
        return value instanceof Scalar s && s.token() == JsonToken.VALUE_NULL;
    }

    @SuppressWarnings("unchecked")
    Map<String, YamlNode> map() {
        return (Map<String, YamlNode>) value;
    }

    @SuppressWarnings("unchecked")
    List<YamlNode> list() {
        return (List<YamlNode>) value;
    }

    Scalar scalar() {
        return (Scalar) value;
    }

    /** What this is, for a message: "a mapping", "a list", or the value as written. */
    String describe() {
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        return isNull() ? "empty" : "'" + scalar().text() + "'";
    }
}
