package io.jenkins.plugins.fluxcodecommit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One row of the bad-input suite: a command line with a mistake in it, what it must say, and the
 * exit code. Rows live in {@code src/test/resources/bad-input/*.yaml}, one file per area, and
 * {@code docs/troubleshooting.md} is checked against them.
 *
 * @param area the file's name without {@code .yaml}
 * @param files content written to the case's temp dir before the run; {@code "@dir"} makes a
 *     directory, {@code "@base64:..."} writes those bytes
 * @param says substrings the {@code error:} lines must hold
 * @param fix a substring of the {@code fix:} line
 */
record BadInputCase(
        String area,
        String name,
        List<String> args,
        Map<String, String> env,
        Map<String, String> files,
        int exit,
        List<String> says,
        String fix) {
    private static final Set<String> KEYS = Set.of("name", "args", "env", "files", "exit", "says", "fix");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([\\w:.-]+)}");

    /** Every case of every file in {@code dir}, in file order. */
    static List<BadInputCase> load(Path dir) {
        List<BadInputCase> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String area = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                for (JsonNode c : new YAMLMapper().readTree(file.toFile()).path("cases")) {
                    out.add(parse(area, c));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static BadInputCase parse(String area, JsonNode c) {
        for (Iterator<String> names = c.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(area + ".yaml: unknown key '" + key + "' in case " + c);
            }
        }
        if (!c.hasNonNull("name") || !c.has("args") || !c.has("exit") || !c.has("fix")) {
            throw new IllegalArgumentException(area + ".yaml: a case needs name, args, exit and fix: " + c);
        }
        return new BadInputCase(
                area,
                c.get("name").asText(),
                strings(c.get("args")),
                map(c.get("env")),
                map(c.get("files")),
                c.get("exit").asInt(),
                strings(c.get("says")),
                c.get("fix").asText());
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** Replaces {@code ${name}} and {@code ${file:NAME}} with the fixture's values. */
    static String expand(String text, Map<String, String> values, Path caseDir) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value;
            if (key.startsWith("file:")) {
                value = caseDir.resolve(key.substring(5)).toString();
            } else if (key.equals("tmp")) {
                value = caseDir.toString();
            } else {
                value = values.get(key);
                if (value == null) {
                    throw new IllegalArgumentException("unknown placeholder ${" + key + "}");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The case's files, written with placeholders expanded. */
    void writeFiles(Map<String, String> values, Path caseDir) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path path = caseDir.resolve(f.getKey());
            Files.createDirectories(path.getParent());
            if (f.getValue().equals("@dir")) {
                Files.createDirectories(path);
            } else if (f.getValue().startsWith("@base64:")) {
                Files.write(
                        path, java.util.Base64.getDecoder().decode(f.getValue().substring(8)));
            } else {
                Files.writeString(path, expand(f.getValue(), values, caseDir));
            }
        }
    }

    @Override
    public String toString() {
        return area + ": " + name;
    }
}
