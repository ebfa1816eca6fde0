package io.jenkins.plugins.fluxcodecommit.rotation;

import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mapping of a fleet file with where it is, so every error names the line and the place. */
record FleetMapping(YamlNode node, String where, String origin) {
    static FleetMapping empty(String where, String origin) {
        return new FleetMapping(new YamlNode(Map.of(), 0), where, origin);
    }

    static FleetMapping of(YamlNode node, String where, String origin) {
        if (!node.isMap()) {
            throw new InvalidInputException(
                    origin + " line " + node.line() + ": " + where + " is " + node.describe()
                            + ", not a mapping of keys.",
                    "Write it as 'key: value' lines under the list item (docs/rotation.md).");
        }
        return new FleetMapping(node, where, origin);
    }

    InvalidInputException error(String problem, String fix) {
        return new InvalidInputException(origin + " line " + node.line() + ": " + where + " " + problem + ".", fix);
    }

    private InvalidInputException error(String key, String problem, String fix) {
        return new InvalidInputException(
                origin + " line " + node.map().get(key).line() + ": " + key + " of " + where + " " + problem + ".",
                fix);
    }

    /** Runs a check of the engine's, adding this place (and the key's line) to its message. */
    <T> T within(String key, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            int line = key == null ? node.line() : node.map().get(key).line();
            throw new InvalidInputException(origin + " line " + line + " (" + where + "): " + e.problem(), e.fix(), e);
        }
    }

    void known(List<String> keys) {
        for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
            if (!keys.contains(e.getKey())) {
                String near = Suggestion.nearest(e.getKey(), keys);
                throw new InvalidInputException(
                        origin + " line " + e.getValue().line() + ": unknown key '" + e.getKey() + "' in " + where
                                + "; the keys there are " + String.join(", ", keys) + ".",
                        (near == null ? "" : "Did you mean '" + near + "'? ")
                                + "Correct or remove it: an unknown key would be ignored, and the rotation would"
                                + " not do what the file says.");
            }
        }
    }

    List<String> keys() {
        return List.copyOf(node.map().keySet());
    }

    boolean has(String key) {
        return node.map().containsKey(key) && !node.map().get(key).isNull();
    }

    boolean isNull(String key) {
        return node.map().get(key).isNull();
    }

    String text(String key) {
        if (!has(key)) {
            return null;
        }
        YamlNode v = node.map().get(key);
        if (!(v.value() instanceof YamlNode.Scalar s)) {
            throw error(key, "is " + v.describe() + ", not a single value", "Write it as '" + key + ": VALUE'.");
        }
        return s.text();
    }

    boolean bool(String key) {
        if (!has(key)) {
            return false;
        }
        YamlNode v = node.map().get(key);
        if (v.value() instanceof YamlNode.Scalar s
                && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        throw error(key, "is " + v.describe() + ", not true or false", "Write '" + key + ": true' or leave it out.");
    }

    Duration days(String key) {
        YamlNode v = node.map().get(key);
        if (v.value() instanceof YamlNode.Scalar s && s.text().strip().matches("-?\\d{1,9}")) {
            return within(
                    key, () -> RotationLimits.maxAgeDays(Long.parseLong(s.text().strip()), key));
        }
        throw error(
                key, "is " + v.describe() + ", not a whole number of days", "Write the days, e.g. '" + key + ": 365'.");
    }

    FleetMapping mapping(String key) {
        YamlNode v = node.map().get(key);
        if (!v.isMap()) {
            throw error(key, "is " + v.describe() + ", not a mapping", "Write it as '" + key + ": {name: value}'.");
        }
        return new FleetMapping(v, key + " of " + where, origin);
    }

    List<YamlNode> list(String key) {
        YamlNode v = node.map().get(key);
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isList()) {
            throw error(key, "is " + v.describe() + ", not a list", "Write each entry on its own '- ' line.");
        }
        return v.list();
    }

    /** Each key's value as text, in the file's order. */
    Map<String, String> texts() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : node.map().keySet()) {
            String value = text(key);
            if (value == null) {
                throw error(key, "is empty", "Give a value, or remove the key.");
            }
            out.put(key, value);
        }
        return out;
    }
}
