package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of Flux's install manifest files, parsed once per content in a long-lived JVM (a
 * Jenkins controller or agent runs many bootstraps of the same release): kept by the SHA-256 of
 * the text, handed out as deep copies, since generating the install objects edits them. A few
 * releases at most are kept; the least recently used goes first.
 */
final class ParsedManifests {
    private static final int KEPT = 32;

    private static final Map<String, List<ObjectNode>> PARSED = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ObjectNode>> eldest) {
            return size() > KEPT;
        }
    };

    private ParsedManifests() {}

    /** {@link Yaml#parseAll} of {@code text}, from the cache when the same text was parsed before. */
    static List<ObjectNode> parse(String text, String origin) {
        String key = sha256(text);
        List<ObjectNode> parsed;
        synchronized (PARSED) {
            parsed = PARSED.get(key);
        }
        if (parsed == null) {
            parsed = List.copyOf(Yaml.parseAll(text, origin));
            synchronized (PARSED) {
                PARSED.put(key, parsed);
            }
        }
        List<ObjectNode> copies = new ArrayList<>(parsed.size());
        for (ObjectNode document : parsed) {
            copies.add(document.deepCopy());
        }
        return copies;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
