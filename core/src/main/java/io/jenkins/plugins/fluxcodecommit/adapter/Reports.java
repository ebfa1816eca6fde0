package io.jenkins.plugins.fluxcodecommit.adapter;

import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results as a front end shows them: summary lines for a log or terminal, and a map of plain
 * values (strings, booleans, numbers, lists of strings) for a Pipeline step's return value. Never a
 * secret: results hold none.
 */
public final class Reports {
    private Reports() {}

    /** The summary a bootstrap ends with. */
    public static List<String> lines(BootstrapResult result) {
        List<String> out = new ArrayList<>();
        out.add("Bootstrap of " + result.url() + " branch " + result.branch()
                + (result.exportMode() ? " (export: nothing applied)" : ""));
        // Files written to a directory are not a repository found up to date: nothing was compared or pushed.
        boolean exported = result.exportDirectory() != null;
        if (result.commits().isEmpty()) {
            out.add(
                    exported
                            ? "  commits:   none (nothing pushed: the files are written to the directory below)"
                            : "  commits:   none (the repository was up to date)");
        } else {
            result.commits().forEach(c -> out.add("  commit:    " + c));
        }
        if (result.revision() != null) {
            out.add("  revision:  " + result.revision());
        }
        if (result.exportDirectory() != null) {
            out.add("  files in:  " + result.exportDirectory());
        }
        out.add("  secret:    " + result.secret());
        if (result.exportMode()) {
            out.add("  objects to apply, in order:");
            result.applied().forEach(a -> out.add("    " + a.replace(" planned", "")));
        } else {
            long changed = result.applied().stream()
                    .filter(a -> !a.endsWith(" unchanged"))
                    .count();
            out.add("  objects:   " + result.applied().size() + " applied, " + changed + " changed"
                    + (result.componentsInstalled() ? " (components installed)" : ""));
            out.add("  health:    " + (result.healthy() ? "Flux synced " + result.revision() : "not checked"));
        }
        out.add("  result:    "
                + (exported
                        ? "files written, nothing pushed or applied"
                        : result.noOp() ? "nothing to do, nothing changed" : "done")
                + " in " + result.took().toMillis() + " ms");
        return out;
    }

    /**
     * A bootstrap's result as a step's return value: {@code url, branch, revision, commit} (the last
     * commit pushed, or {@code null}), {@code commits}, {@code componentsInstalled}, {@code applied},
     * {@code changed} (how many objects changed), {@code secret}, {@code healthy}, {@code exportMode},
     * {@code exportDirectory}, {@code noOp}, {@code outcome} ({@code CHANGED}, {@code UNCHANGED} or
     * {@code EXPORTED}) and {@code millis}.
     */
    public static Map<String, Object> map(BootstrapResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", result.url());
        m.put("branch", result.branch());
        m.put("revision", result.revision());
        m.put(
                "commit",
                result.commits().isEmpty()
                        ? null
                        : result.commits().get(result.commits().size() - 1));
        m.put("commits", new ArrayList<>(result.commits()));
        m.put("componentsInstalled", result.componentsInstalled());
        m.put("applied", new ArrayList<>(result.applied()));
        m.put("changed", (int) result.applied().stream()
                .filter(a -> a.endsWith(" created") || a.endsWith(" configured"))
                .count());
        m.put("secret", result.secret());
        m.put("healthy", result.healthy());
        m.put("exportMode", result.exportMode());
        m.put("exportDirectory", result.exportDirectory());
        m.put("noOp", result.noOp());
        m.put("outcome", result.exportMode() ? "EXPORTED" : result.noOp() ? "UNCHANGED" : "CHANGED");
        m.put("millis", result.took().toMillis());
        return m;
    }

    /** One line for a rotation: what was replaced by what, or why nothing was. */
    public static String line(RotationResult r) {
        String ids = r.oldId() == null && r.newId() == null
                ? ""
                : " " + (r.oldId() == null ? "(none)" : r.oldId()) + " -> "
                        + (r.newId() == null ? "(none)" : r.newId());
        return r.name() + ": " + r.kind().label() + " " + r.outcome() + ids
                + (r.message() == null || r.message().isBlank() ? "" : " (" + r.message() + ")") + " in "
                + r.took().toMillis() + " ms, " + r.iamCalls() + " IAM calls";
    }

    /**
     * A rotation's result as a step's return value: {@code name, kind, oldId, newId, outcome}
     * ({@code ROTATED}, {@code NOT_DUE}, {@code PLANNED}, {@code FAILED}), {@code rotated},
     * {@code message}, {@code millis} and {@code iamCalls}.
     */
    public static Map<String, Object> map(RotationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("kind", r.kind().label());
        m.put("oldId", r.oldId());
        m.put("newId", r.newId());
        m.put("outcome", r.outcome().name());
        m.put("rotated", r.outcome() == RotationResult.Outcome.ROTATED);
        m.put("message", r.message());
        m.put("millis", r.took().toMillis());
        m.put("iamCalls", r.iamCalls());
        return m;
    }
}
