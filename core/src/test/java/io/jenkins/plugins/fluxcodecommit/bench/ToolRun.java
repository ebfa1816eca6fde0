package io.jenkins.plugins.fluxcodecommit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One measured process of a tool: its whole wall time, its CPU time and peak RSS (GNU time's
 * report of the process and its children), and how much of the wall time it spent waiting for
 * the controllers, from the times its output lines arrived.
 *
 * @param wallNanos from start to exit
 * @param cpuMillis user plus system CPU time
 * @param peakRssKb the largest resident set of the process
 * @param waitNanos the time between each line that starts a wait for the controllers and the first
 *     line after it that does not report on that wait
 * @param output the output lines, for a failure's message
 */
record ToolRun(long wallNanos, long cpuMillis, long peakRssKb, long waitNanos, List<String> output) {

    /** The wall time minus the waits for the controllers: the tool's own work. */
    long ownNanos() {
        return wallNanos - waitNanos;
    }

    /**
     * Which output lines start a wait for the controllers, and which lines report within it, for
     * one tool's output.
     */
    record Waits(Predicate<String> starts, Predicate<String> within) {
        static final Waits NONE = new Waits(l -> false, l -> false);
    }

    /** Runs {@code command} under GNU time in {@code dir} with exactly {@code env}; fails on a non-zero exit. */
    static ToolRun measure(List<String> command, Map<String, String> env, Path dir, Waits waits, Path stdout)
            throws IOException, InterruptedException {
        Path stats = Files.createTempFile(dir, "time", ".txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-o", stats.toString(), "-f", "%U %S %M"));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        if (stdout != null) {
            builder.redirectOutput(stdout.toFile());
        } else {
            builder.redirectErrorStream(true);
        }
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                stdout != null ? process.getErrorStream() : process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                arrivals.add(System.nanoTime());
                lines.add(line);
                if (Boolean.getBoolean("bench.timeline")) {
                    System.err.printf("%7.3f  %s%n", (arrivals.get(arrivals.size() - 1) - start) / 1e9, line);
                }
            }
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        long wall = System.nanoTime() - start;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "exit " + process.exitValue() + ": " + String.join(" ", command) + "\n" + String.join("\n", lines));
        }
        List<String> report = Files.readAllLines(stats);
        String[] t = report.get(report.size() - 1).trim().split(" ");
        Files.delete(stats);
        long cpu = Math.round((Double.parseDouble(t[0]) + Double.parseDouble(t[1])) * 1000);
        return new ToolRun(wall, cpu, Long.parseLong(t[2]), waited(lines, arrivals, start + wall, waits), lines);
    }

    private static long waited(List<String> lines, List<Long> arrivals, long end, Waits waits) {
        long total = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!waits.starts().test(lines.get(i))) {
                continue;
            }
            int next = i + 1;
            while (next < lines.size() && waits.within().test(lines.get(next))) {
                next++;
            }
            total += (next < lines.size() ? arrivals.get(next) : end) - arrivals.get(i);
            i = next - 1;
        }
        return total;
    }
}
