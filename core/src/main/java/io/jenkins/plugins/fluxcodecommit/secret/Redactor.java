package io.jenkins.plugins.fluxcodecommit.secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes known secret values from text before it reaches a log or an exception message.
 *
 * <p>Library messages (JGit, the AWS SDK, Apache MINA SSHD) are outside this project's control, so
 * every message they produce passes through the redactor that knows the operation's secrets. Each
 * secret is also matched URL-encoded, since session tokens travel inside Git user names. Secrets
 * made during an operation (signed Git passwords, refreshed role credentials) are added as they
 * appear; the redactor is safe to share between threads.
 */
public final class Redactor {
    /** Secrets shorter than this are not redacted: replacing "a" everywhere would garble text. */
    private static final int MIN_LENGTH = 4;

    private static final String MASK = "****";

    private volatile List<String> needles = List.of();

    /** A redactor that knows these secrets (nulls are ignored). */
    public static Redactor of(Secret... secrets) {
        Redactor redactor = new Redactor();
        redactor.add(secrets);
        return redactor;
    }

    /** Teaches the redactor more secrets; returns it for chaining. */
    public synchronized Redactor add(Secret... secrets) {
        Set<String> all = new LinkedHashSet<>(needles);
        for (Secret secret : secrets) {
            if (secret == null || secret.reveal().length() < MIN_LENGTH) {
                continue;
            }
            String raw = secret.reveal();
            all.add(raw);
            all.add(URLEncoder.encode(raw, StandardCharsets.UTF_8));
            // PEM blocks can surface line by line: redact each body line too.
            if (raw.contains("\n")) {
                for (String line : raw.split("\r?\n")) {
                    String trimmed = line.trim();
                    if (trimmed.length() >= 16 && !trimmed.startsWith("-----") && !trimmed.contains(":")) {
                        all.add(trimmed);
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        needles = List.copyOf(sorted);
        return this;
    }

    public String redact(String text) {
        List<String> current = needles;
        if (text == null || current.isEmpty()) {
            return text;
        }
        String out = text;
        for (String needle : current) {
            if (out.contains(needle)) {
                out = out.replace(needle, MASK);
            }
        }
        return out;
    }
}
