package io.jenkins.plugins.fluxcodecommit.flux;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One scalar as go-yaml v2 writes it: the style its encoder asks for, downgraded as its emitter's
 * analysis of the characters requires (plain, then single-quoted, then double-quoted; a literal
 * block falls back to double quotes), and the text in that style, folded at spaces past column 80.
 */
final class GoYamlScalar {
    private enum Style {
        PLAIN,
        SINGLE,
        DOUBLE,
        LITERAL
    }

    private static final Set<String> RESOLVED_WORDS = Set.of(
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO",
            "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Pattern GO_INT =
            Pattern.compile("[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{1,2}-\\d{1,2}(([Tt]| )\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{1,9})?(Z|[-+]\\d{2}:\\d{2})?)?");

    private final int[] value;
    private final boolean simpleKey;
    private final Style style;

    GoYamlScalar(String text, boolean string, boolean simpleKey) {
        this.value = text.codePoints().toArray();
        this.simpleKey = simpleKey;
        this.style = select(requested(text, string), simpleKey);
    }

    boolean plain() {
        return style == Style.PLAIN;
    }

    /** The encoder's choice: plain unless the text would read back as something else. */
    private static Style requested(String text, boolean string) {
        if (!string) {
            return Style.PLAIN;
        }
        if (text.contains("\n")) {
            return Style.LITERAL;
        }
        return readsAsString(text) && !(BASE60_FLOAT.matcher(text).matches()) ? Style.PLAIN : Style.DOUBLE;
    }

    /** Whether go-yaml v2 resolves the plain text to a string (not a bool, null, number or timestamp). */
    static boolean readsAsString(String in) {
        if (RESOLVED_WORDS.contains(in)) {
            return false;
        }
        char first = in.charAt(0);
        if (first == '.') {
            return !DOT_FLOAT.matcher(in).matches();
        }
        if (!(first == '+' || first == '-' || (first >= '0' && first <= '9'))) {
            return true;
        }
        if (TIMESTAMP.matcher(in).matches() && validDate(in)) {
            return false;
        }
        String plain = in.replace("_", "");
        return !(GO_INT.matcher(plain).matches() && fitsUint64(plain))
                && !YAML_FLOAT.matcher(plain).matches();
    }

    private static boolean validDate(String in) {
        String[] ymd = in.split("[Tt ]")[0].split("-");
        int month = Integer.parseInt(ymd[1]);
        int day = Integer.parseInt(ymd[2]);
        return month >= 1
                && month <= 12
                && day >= 1
                && day
                        <= java.time.YearMonth.of(Integer.parseInt(ymd[0]), month)
                                .lengthOfMonth();
    }

    private static boolean fitsUint64(String plain) {
        String digits = plain.replaceFirst("^[-+]", "");
        int radix = 10;
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            char p = Character.toLowerCase(digits.charAt(1));
            radix = p == 'x' ? 16 : p == 'b' ? 2 : 8;
            digits = p == 'x' || p == 'b' || p == 'o' ? digits.substring(2) : digits.substring(1);
        }
        return new java.math.BigInteger(digits, radix).bitLength() <= 64;
    }

    /** The emitter's downgrades, from what the characters allow. */
    private Style select(Style requested, boolean simpleKey) {
        Analysis a = new Analysis(value);
        Style s = requested;
        if (simpleKey && a.multiline) {
            s = Style.DOUBLE;
        }
        if (s == Style.PLAIN && (!a.blockPlainAllowed || (value.length == 0 && simpleKey))) {
            s = Style.SINGLE;
        }
        if (s == Style.SINGLE && !a.singleQuotedAllowed) {
            s = Style.DOUBLE;
        }
        if (s == Style.LITERAL && (!a.blockAllowed || simpleKey)) {
            s = Style.DOUBLE;
        }
        return s;
    }

    void write(GoYaml e) {
        boolean allowBreaks = !simpleKey;
        switch (style) {
            case PLAIN -> plain(e, allowBreaks);
            case SINGLE -> single(e, allowBreaks);
            case DOUBLE -> doubleQuoted(e, allowBreaks);
            case LITERAL -> literal(e);
        }
    }

    private void plain(GoYaml e, boolean allowBreaks) {
        if (!e.whitespace()) {
            e.put(' ');
        }
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < value.length; i++) {
            int c = value[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && e.column() > GoYaml.BEST_WIDTH && !spaceAt(i + 1)) {
                    e.writeIndent();
                } else {
                    e.putCodePoint(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    e.putBreak();
                }
                e.writeBreak(c);
                e.indention(true);
                breaks = true;
            } else {
                if (breaks) {
                    e.writeIndent();
                }
                e.putCodePoint(c);
                e.indention(false);
                spaces = false;
                breaks = false;
            }
        }
        e.whitespace(false);
        e.indention(false);
    }

    private void single(GoYaml e, boolean allowBreaks) {
        e.indicator("'", true, false, false);
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < value.length; i++) {
            int c = value[i];
            if (c == ' ') {
                if (allowBreaks
                        && !spaces
                        && e.column() > GoYaml.BEST_WIDTH
                        && i > 0
                        && i < value.length - 1
                        && !spaceAt(i + 1)) {
                    e.writeIndent();
                } else {
                    e.putCodePoint(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    e.putBreak();
                }
                e.writeBreak(c);
                e.indention(true);
                breaks = true;
            } else {
                if (breaks) {
                    e.writeIndent();
                }
                if (c == '\'') {
                    e.put('\'');
                }
                e.putCodePoint(c);
                e.indention(false);
                spaces = false;
                breaks = false;
            }
        }
        e.indicator("'", false, false, false);
        e.whitespace(false);
        e.indention(false);
    }

    private void doubleQuoted(GoYaml e, boolean allowBreaks) {
        e.indicator("\"", true, false, false);
        boolean spaces = false;
        for (int i = 0; i < value.length; i++) {
            int c = value[i];
            if (!Analysis.printable(c) || c == 0xFEFF || isBreak(c) || c == '"' || c == '\\') {
                e.put('\\');
                escape(e, c);
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && e.column() > GoYaml.BEST_WIDTH && i > 0 && i < value.length - 1) {
                    e.writeIndent();
                    if (spaceAt(i + 1)) {
                        e.put('\\');
                    }
                } else {
                    e.putCodePoint(c);
                }
                spaces = true;
            } else {
                e.putCodePoint(c);
                spaces = false;
            }
        }
        e.indicator("\"", false, false, false);
        e.whitespace(false);
        e.indention(false);
    }

    private static void escape(GoYaml e, int c) {
        String named =
                switch (c) {
                    case 0x00 -> "0";
                    case 0x07 -> "a";
                    case 0x08 -> "b";
                    case 0x09 -> "t";
                    case 0x0A -> "n";
                    case 0x0B -> "v";
                    case 0x0C -> "f";
                    case 0x0D -> "r";
                    case 0x1B -> "e";
                    case 0x22 -> "\"";
                    case 0x5C -> "\\";
                    case 0x85 -> "N";
                    case 0xA0 -> "_";
                    case 0x2028 -> "L";
                    case 0x2029 -> "P";
                    default -> null;
                };
        if (named != null) {
            e.putText(named);
            return;
        }
        int width = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;
        String hex = String.format("%0" + width + "X", c);
        e.putText((width == 2 ? "x" : width == 4 ? "u" : "U") + hex);
    }

    private void literal(GoYaml e) {
        e.indicator("|", true, false, false);
        if (value.length > 0 && (value[0] == ' ' || isBreak(value[0]))) {
            e.indicator(String.valueOf(GoYaml.BEST_INDENT), false, false, false);
        }
        String chomp = chomping();
        if (chomp != null) {
            e.indicator(chomp, false, false, false);
        }
        e.openEnded("+".equals(chomp));
        e.putBreak();
        e.indention(true);
        e.whitespace(true);
        boolean breaks = true;
        for (int c : value) {
            if (isBreak(c)) {
                e.writeBreak(c);
                e.indention(true);
                breaks = true;
            } else {
                if (breaks) {
                    e.writeIndent();
                }
                e.putCodePoint(c);
                e.indention(false);
                breaks = false;
            }
        }
    }

    /** "-" strips a missing final break, "+" keeps several, none clips one. */
    private String chomping() {
        int n = value.length;
        if (n == 0 || !isBreak(value[n - 1])) {
            return "-";
        }
        if (n == 1 || isBreak(value[n - 2])) {
            return "+";
        }
        return null;
    }

    private boolean spaceAt(int i) {
        return i < value.length && value[i] == ' ';
    }

    static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** What go-yaml's emitter learns of a scalar's characters before it picks a style. */
    private static final class Analysis {
        boolean multiline;
        boolean blockPlainAllowed = true;
        boolean singleQuotedAllowed = true;
        boolean blockAllowed = true;

        Analysis(int[] v) {
            if (v.length == 0) {
                blockAllowed = false;
                return;
            }
            boolean blockIndicators = v.length >= 3
                    && ((v[0] == '-' && v[1] == '-' && v[2] == '-') || (v[0] == '.' && v[1] == '.' && v[2] == '.'));
            boolean leadingSpace = false;
            boolean leadingBreak = false;
            boolean trailingSpace = false;
            boolean trailingBreak = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            boolean previousSpace = false;
            boolean previousBreak = false;
            boolean lineBreaks = false;
            boolean special = false;
            boolean precededByWhitespace = true;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                boolean followedByWhitespace = i + 1 >= v.length || v[i + 1] == ' ' || v[i + 1] == '\t';
                if (i == 0) {
                    if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                        blockIndicators = true;
                    } else if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) {
                        blockIndicators = true;
                    }
                } else if (c == ':' && followedByWhitespace) {
                    blockIndicators = true;
                } else if (c == '#' && precededByWhitespace) {
                    blockIndicators = true;
                }
                if (!printable(c)) {
                    special = true;
                }
                if (c == ' ') {
                    leadingSpace |= i == 0;
                    trailingSpace |= i == v.length - 1;
                    breakSpace |= previousBreak;
                    previousSpace = true;
                    previousBreak = false;
                } else if (isBreak(c)) {
                    lineBreaks = true;
                    leadingBreak |= i == 0;
                    trailingBreak |= i == v.length - 1;
                    spaceBreak |= previousSpace;
                    previousSpace = false;
                    previousBreak = true;
                } else {
                    previousSpace = false;
                    previousBreak = false;
                }
                precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
            }
            multiline = lineBreaks;
            if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
                blockPlainAllowed = false;
            }
            if (trailingSpace) {
                blockAllowed = false;
            }
            if (breakSpace) {
                blockPlainAllowed = false;
                singleQuotedAllowed = false;
            }
            if (spaceBreak || special) {
                blockPlainAllowed = false;
                singleQuotedAllowed = false;
                blockAllowed = false;
            }
            if (lineBreaks || blockIndicators) {
                blockPlainAllowed = false;
            }
        }

        /** go-yaml's printable set: no tabs, no C1 controls, nothing outside the Basic Multilingual Plane. */
        static boolean printable(int c) {
            return c == 0x0A
                    || (c >= 0x20 && c <= 0x7E)
                    || (c >= 0xA0 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
        }
    }
}
