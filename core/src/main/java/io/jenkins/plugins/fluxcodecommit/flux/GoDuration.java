package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Flux reads and writes them: Go's syntax ({@code 1m}, {@code 1h30m}) and text ({@code 1m0s}). */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private GoDuration() {}

    /** Parses {@code 90s}, {@code 1m30s}, {@code 2h}; names the input and the expected form on error. */
    public static Duration parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(
                    "No duration was given for " + what + ".", "Give a duration such as 1m or 1h30m.");
        }
        String s = text.trim();
        if (s.startsWith("-") && s.length() > 1) {
            throw new InvalidInputException(
                    "'" + text + "' is a negative duration for " + what + ".",
                    "Give a positive duration such as 30s, 5m or 1h30m (units h, m, s, ms).");
        }
        if (s.startsWith("+")) {
            s = s.substring(1); // Go accepts an explicit plus sign
        }
        if (s.equals("0")) {
            return Duration.ZERO; // Go's one unitless duration
        }
        Matcher m = PART.matcher(s);
        int end = 0;
        long millis = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double value = Double.parseDouble(m.group(1));
            millis += (long) (value
                    * switch (m.group(2)) {
                        case "h" -> 3_600_000;
                        case "m" -> 60_000;
                        case "s" -> 1_000;
                        default -> 1;
                    });
            end = m.end();
        }
        if (end != s.length() || end == 0) {
            throw new InvalidInputException(
                    "'" + text + "' is not a duration for " + what + ".",
                    "Write it like Flux does: 30s, 1m, 5m, 1h30m (units h, m, s, ms).");
        }
        return Duration.ofMillis(millis);
    }

    /**
     * Go's {@code time.Duration.String()} to the millisecond: {@code 1m0s}, {@code 1h0m0s},
     * {@code 30s}, {@code 1.5s}, {@code 0s}, {@code -5s}.
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis > 0 && millis < 1000) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        long hours = seconds / 3600;
        long minutes = (seconds % 3600) / 60;
        String secs = (seconds % 60) + fraction(millis % 1000) + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + secs;
        }
        if (minutes > 0) {
            return minutes + "m" + secs;
        }
        return secs;
    }

    private static String fraction(long millis) {
        if (millis == 0) {
            return "";
        }
        return "." + String.format(java.util.Locale.ROOT, "%03d", millis).replaceAll("0+$", "");
    }
}
