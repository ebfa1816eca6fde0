package io.jenkins.plugins.fluxcodecommit.bench;

import io.jenkins.plugins.fluxcodecommit.bench.SideBySideBenchmark.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The side-by-side tables: for each phase, the first run (cold: the tool's first process of the
 * benchmark, in a fresh HOME) and the median of the other runs (warm), as figures and as ratios of
 * this project's to flux's.
 */
final class SideBySideReport {
    static final String BEGIN = "<!-- side-by-side: written by scripts/bench.sh --side-by-side -->";
    static final String END = "<!-- side-by-side: end -->";

    private final Map<String, Map<Phase, List<ToolRun>>> runs;
    private final List<Long> inJvmRerun;
    private final List<Long> inJvmRerunNoDelay;
    private final int count;

    SideBySideReport(
            Map<String, Map<Phase, List<ToolRun>>> runs,
            List<Long> inJvmRerun,
            List<Long> inJvmRerunNoDelay,
            int count) {
        this.inJvmRerunNoDelay = inJvmRerunNoDelay;
        this.runs = runs;
        this.inJvmRerun = inJvmRerun;
        this.count = count;
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(BEGIN).append("\n## Side by side with the flux CLI\n\n");
        out.append(String.format(
                "Measured by `scripts/bench.sh --side-by-side` on %s: %d cores, Java %s; flux %s built from its Go"
                        + " module by `scripts/ensure-flux-cli.sh`. %d runs of each tool, alternating (flux first in odd"
                        + " runs), each bootstrap on a fresh repository and namespace of the same real kube-apiserver,"
                        + " with the real source-controller and kustomize-controller reconciling it, so both tools' health"
                        + " waits ran in full. *Own work* is the wall time minus the waits for the controllers, taken"
                        + " from when each tool's output lines arrived. Ratio: this project's figure over flux's.\n\n",
                LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                "v2.9.4",
                count));
        table(out, "Warm (median of runs 2 to " + count + ")", false);
        table(out, "Cold (run 1: each tool's first process of the benchmark, fresh HOME)", true);
        out.append("In a long-lived JVM (as a Jenkins agent runs it), the engine's SSH no-op rerun on the same site: "
                + summary(inJvmRerun) + "; in a JVM started with `-Dorg.apache.sshd.config.tcp-nodelay=true`"
                + " (what the command line sets for itself): " + summary(inJvmRerunNoDelay) + ".\n\n");
        return out.append(END).append('\n').toString();
    }

    private static String summary(List<Long> took) {
        return String.format(
                "median %s, max %s over %d reruns",
                seconds(median(took)), seconds(took.isEmpty() ? -1 : Collections.max(took)), took.size());
    }

    private void table(StringBuilder out, String title, boolean cold) {
        out.append("### ").append(title).append("\n\n");
        out.append("| phase | wall: flux | ours | ratio | own work: flux | ours | ratio | CPU: flux | ours | ratio"
                + " | peak RSS: flux | ours |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Phase phase : Phase.values()) {
            List<ToolRun> flux = runs.get("flux").getOrDefault(phase, List.of());
            List<ToolRun> ours = runs.get("flux-codecommit").getOrDefault(phase, List.of());
            if (flux.isEmpty() || ours.isEmpty()) {
                continue;
            }
            out.append("| ").append(phase.title);
            cells(out, pick(flux, ToolRun::wallNanos, cold), pick(ours, ToolRun::wallNanos, cold), true);
            cells(out, pick(flux, ToolRun::ownNanos, cold), pick(ours, ToolRun::ownNanos, cold), true);
            cells(out, pick(flux, ToolRun::cpuMillis, cold), pick(ours, ToolRun::cpuMillis, cold), false);
            out.append(" | ")
                    .append(pick(flux, ToolRun::peakRssKb, cold) >> 10)
                    .append(" MiB | ")
                    .append(pick(ours, ToolRun::peakRssKb, cold) >> 10)
                    .append(" MiB |\n");
        }
        out.append('\n');
    }

    private static void cells(StringBuilder out, long flux, long ours, boolean nanos) {
        String a = nanos ? seconds(flux) : String.format("%.2f s", flux / 1e3);
        String b = nanos ? seconds(ours) : String.format("%.2f s", ours / 1e3);
        out.append(" | ").append(a).append(" | ").append(b).append(" | ");
        out.append(flux <= 0 ? "n/a" : String.format("%.2f×", (double) ours / flux));
    }

    private static long pick(List<ToolRun> runs, ToLongFunction<ToolRun> measure, boolean cold) {
        if (cold) {
            return measure.applyAsLong(runs.get(0));
        }
        List<Long> values = new ArrayList<>();
        for (ToolRun run : runs.subList(runs.size() > 1 ? 1 : 0, runs.size())) {
            values.add(measure.applyAsLong(run));
        }
        return median(values);
    }

    static long median(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "n/a" : String.format("%.2f s", nanos / 1e9);
    }

    /** Replaces the side-by-side section of {@code file} (or appends it), keeping the rest as it is. */
    static void writeSection(Path file, String section) throws IOException {
        writeSection(file, BEGIN, END, section);
    }

    /**
     * Replaces the section of {@code file} from the line {@code begin} to the line {@code end}
     * with {@code section} (which starts and ends with them), or appends it; the rest is kept.
     */
    static void writeSection(Path file, String begin, String end, String section) throws IOException {
        String text = Files.isRegularFile(file) ? Files.readString(file) : "# Performance\n\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String updated = from >= 0 && to > from
                ? text.substring(0, from) + section + text.substring(Math.min(text.length(), to + end.length() + 1))
                : text.stripTrailing() + "\n\n" + section;
        Files.writeString(file, updated);
    }
}
