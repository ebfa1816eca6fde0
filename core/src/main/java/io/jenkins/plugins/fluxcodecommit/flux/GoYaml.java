package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * YAML as Flux and kustomize write it, byte for byte: their objects go through sigs.k8s.io/yaml's
 * JSON-to-YAML, that is go-yaml v2's encoder. Its rules, which this class follows:
 *
 * <ul>
 *   <li>mapping keys in go-yaml's "natural" order ({@link #KEY_ORDER});
 *   <li>a string that would read back as another type ({@code "true"}, {@code "1.0"},
 *       {@code "2026-01-01"}, {@code ""}) in double quotes, one with a line break as a literal
 *       block, any other plain, then downgraded by the emitter where that style cannot hold it
 *       ({@link GoYamlScalar});
 *   <li>block style, two-space indentation, sequences in a mapping not indented, empty collections
 *       as {@code {}} and {@code []};
 *   <li>long plain and quoted scalars folded at spaces past column 80.
 * </ul>
 *
 * Each call writes one document, without a {@code ---} marker, ending in a line break, as
 * kustomize's {@code AsYaml} writes each resource.
 */
public final class GoYaml {
    /** go-yaml v2's key order: non-letters before letters, digit runs compared as numbers. */
    static final Comparator<String> KEY_ORDER = GoYaml::compareKeys;

    static final int BEST_INDENT = 2;
    static final int BEST_WIDTH = 80;

    private final StringBuilder out = new StringBuilder();
    private final List<Integer> indents = new ArrayList<>();
    private int indent = -1;
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private boolean openEnded;

    private GoYaml() {}

    /** One document as go-yaml v2 writes it. */
    public static String write(JsonNode document) {
        GoYaml yaml = new GoYaml();
        yaml.node(document, false, true);
        yaml.writeIndent();
        if (yaml.openEnded) {
            yaml.indicator("...", true, false, false);
            yaml.writeIndent();
        }
        return yaml.out.toString();
    }

    private void node(JsonNode node, boolean mappingContext, boolean root) {
        if (node.isObject()) {
            mapping(node);
        } else if (node.isArray()) {
            sequence(node, mappingContext);
        } else {
            scalar(text(node), node.isTextual(), false, root);
        }
    }

    private void mapping(JsonNode node) {
        if (node.isEmpty()) {
            indicator("{", true, true, false);
            indicator("}", false, false, false);
            return;
        }
        increaseIndent(false, false);
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        fields.sort(Map.Entry.comparingByKey(KEY_ORDER));
        for (Map.Entry<String, JsonNode> field : fields) {
            writeIndent();
            scalar(field.getKey(), true, true, false);
            indicator(":", false, false, false);
            node(field.getValue(), true, false);
        }
        popIndent();
    }

    private void sequence(JsonNode node, boolean mappingContext) {
        if (node.isEmpty()) {
            indicator("[", true, true, false);
            indicator("]", false, false, false);
            return;
        }
        increaseIndent(false, mappingContext && !indention);
        for (JsonNode item : node) {
            writeIndent();
            indicator("-", true, false, true);
            node(item, false, false);
        }
        popIndent();
    }

    private void scalar(String value, boolean string, boolean simpleKey, boolean root) {
        GoYamlScalar scalar = new GoYamlScalar(value, string, simpleKey);
        increaseIndent(true, false);
        scalar.write(this);
        popIndent();
        if (root && scalar.plain()) {
            openEnded = true;
        }
    }

    /** How go-yaml v2 writes a non-string scalar taken from JSON. */
    private static String text(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? "true" : "false";
        }
        if (node.isFloatingPointNumber()) {
            return goFloat(node.doubleValue());
        }
        if (node.isNumber()) {
            return node.bigIntegerValue().toString();
        }
        return node.asText();
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, with YAML's names for the infinities. */
    static String goFloat(double f) {
        if (Double.isNaN(f)) {
            return ".nan";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? ".inf" : "-.inf";
        }
        if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - d.scale() - 1;
        String sign = f < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) { // Go: shortest digits, %e outside [1e-4, 1e6)
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + d.abs().toPlainString();
    }

    private static int compareKeys(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        return less(a, b) ? -1 : 1;
    }

    private static boolean less(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }

    // The emitter's primitives, as go-yaml's emitter keeps them: the column, whether the last
    // thing written was white space, and whether the line so far holds only indentation.

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.add(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void popIndent() {
        indent = indents.remove(indents.size() - 1);
    }

    int column() {
        return column;
    }

    int indent() {
        return indent;
    }

    boolean whitespace() {
        return whitespace;
    }

    void whitespace(boolean value) {
        whitespace = value;
    }

    void indention(boolean value) {
        indention = value;
    }

    void writeIndent() {
        int to = Math.max(indent, 0);
        if (!indention || column > to || (column == to && !whitespace)) {
            putBreak();
        }
        while (column < to) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    void indicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        out.append(indicator);
        column += indicator.codePointCount(0, indicator.length());
        whitespace = isWhitespace;
        indention = indention && isIndention;
        openEnded = false;
    }

    void put(char c) {
        out.append(c);
        column++;
    }

    void putText(String ascii) {
        out.append(ascii);
        column += ascii.length();
    }

    void putCodePoint(int c) {
        out.appendCodePoint(c);
        column++;
    }

    void putBreak() {
        out.append('\n');
        column = 0;
    }

    /** A line break character of the value itself: {@code \n} as a break, others as written. */
    void writeBreak(int c) {
        if (c == '\n') {
            putBreak();
        } else {
            out.appendCodePoint(c);
            column = 0;
        }
    }

    void openEnded(boolean value) {
        openEnded = value;
    }
}
