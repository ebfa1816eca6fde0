package io.jenkins.plugins.fluxcodecommit.bench;

import io.jenkins.plugins.fluxcodecommit.bench.BenchSite.Transport;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshNoDelay;
import io.jenkins.plugins.fluxcodecommit.testing.RealFluxControllers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real flux CLI and this project's command line, run alternately on the same local servers
 * (one real kube-apiserver, the CodeCommit-faithful SSH and HTTPS servers, the real controllers
 * for every bootstrap's own namespace), each on a fresh repository and namespace per run, with
 * the same install manifests. Writes its tables into docs/performance.md. Run with
 * {@code scripts/bench.sh --side-by-side}.
 */
public final class SideBySideBenchmark {
    /** What is measured, in the order of the table. */
    enum Phase {
        SSH_FIRST("SSH, first bootstrap"),
        SSH_RERUN("SSH, no-op rerun"),
        HTTPS_FIRST("HTTPS+IAM, first bootstrap"),
        HTTPS_RERUN("HTTPS+IAM, no-op rerun"),
        EXPORT("export / no cluster");

        final String title;

        Phase(String title) {
            this.title = title;
        }
    }

    private final BenchSite site;
    private final List<BenchTool> tools;
    private final Path manifests;
    private final Map<String, Map<Phase, List<ToolRun>>> runs = new LinkedHashMap<>();
    private final List<Long> inJvmRerun = new ArrayList<>();
    private final List<Long> inJvmRerunNoDelay = new ArrayList<>();

    SideBySideBenchmark(BenchSite site, List<BenchTool> tools, Path manifests) {
        this.site = site;
        this.tools = tools;
        this.manifests = manifests;
        tools.forEach(t -> runs.put(t.name(), new EnumMap<>(Phase.class)));
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("bench.runs", 5);
        String flux = System.getProperty("bench.flux", "");
        Path launcher = Path.of(System.getProperty("bench.launcher"));
        Path manifests = Path.of(System.getProperty("bench.manifests"));
        Path out = Path.of(System.getProperty("bench.out", "docs/performance.md"));
        String classList = System.getProperty("bench.classlist");
        try (BenchSite site = new BenchSite()) {
            if (classList != null) {
                ClassList.write(site, new BenchTool.FluxCodeCommit(launcher, manifests), Path.of(classList));
                return;
            }
            // Without a flux binary (a profiling session), only this project's runs, printed as they end.
            List<BenchTool> tools = new ArrayList<>();
            if (!flux.isEmpty()) {
                tools.add(new BenchTool.FluxCli(Path.of(flux)));
            }
            tools.add(new BenchTool.FluxCodeCommit(launcher, manifests));
            SideBySideBenchmark bench = new SideBySideBenchmark(site, tools, manifests);
            for (int run = 1; run <= count; run++) {
                bench.round(run);
            }
            if (flux.isEmpty()) {
                return;
            }
            String section =
                    new SideBySideReport(bench.runs, bench.inJvmRerun, bench.inJvmRerunNoDelay, count).markdown();
            SideBySideReport.writeSection(out, section);
            System.out.println(section);
        }
    }

    /** One run of every phase for every tool, the tools' order alternating from run to run. */
    void round(int run) throws Exception {
        List<BenchTool> order = new ArrayList<>(tools);
        if (run % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        // -Dbench.only=ssh (a profiling session): the SSH phases and the in-JVM reruns only.
        boolean sshOnly = "ssh".equals(System.getProperty("bench.only"));
        for (Transport transport : Transport.values()) {
            for (BenchTool tool : order) {
                if (!sshOnly || transport == Transport.SSH) {
                    bootstrapTwice(tool, transport, run);
                }
            }
        }
        if (!sshOnly) {
            for (BenchTool tool : order) {
                export(tool, run);
            }
        }
        System.err.println("side-by-side: run " + run + " done");
    }

    private void bootstrapTwice(BenchTool tool, Transport transport, int run) throws Exception {
        String name = (tool.name() + "-" + transport + "-" + run).toLowerCase(java.util.Locale.ROOT);
        String url = site.repository(transport, name);
        Map<String, String> env = site.environment(tool, transport);
        try (RealFluxControllers controllers = site.controllers(name, transport)) {
            List<Phase> phases = transport == Transport.SSH
                    ? List.of(Phase.SSH_FIRST, Phase.SSH_RERUN)
                    : List.of(Phase.HTTPS_FIRST, Phase.HTTPS_RERUN);
            for (Phase phase : phases) {
                ToolRun measured = ToolRun.measure(
                        tool.bootstrap(site, transport, url, name),
                        recorded(tool, env, name + "-" + phase.name().toLowerCase(java.util.Locale.ROOT)),
                        site.dir,
                        tool.waits(),
                        null);
                record(tool, phase, measured);
            }
            if (tool instanceof BenchTool.FluxCodeCommit && transport == Transport.SSH) {
                inJvmRerun.addAll(inJvmReruns(url, name));
                // An agent JVM started with MINA's tcp-nodelay default (docs/performance.md); the
                // bench's SSH server keeps its own setting.
                System.setProperty(SshNoDelay.PROPERTY, "true");
                try {
                    inJvmRerunNoDelay.addAll(inJvmReruns(url, name));
                } finally {
                    System.clearProperty(SshNoDelay.PROPERTY);
                }
            }
        }
    }

    /**
     * The engine's no-op rerun inside this long-lived JVM, as a Jenkins agent runs it: the same
     * request five times ({@code -Dbench.injvm=N}: N times) after the JVM has run it once.
     */
    private List<Long> inJvmReruns(String url, String namespace) throws Exception {
        BootstrapRequest request = BootstrapRequest.builder(url)
                .path(BenchTool.PATH)
                // The command line's defaults (network policies on, all namespaces watched): the
                // same manifests, so every call is the no-op the command line's rerun is.
                .install(new InstallOptions(
                        null,
                        namespace,
                        List.of(BenchTool.COMPONENTS.split(",")),
                        null,
                        null,
                        null,
                        true,
                        true,
                        null,
                        null,
                        null))
                .manifests(new ManifestsSource.Directory(manifests.toString()))
                .cluster(site.api.target())
                .sshKey(Secret.of(Files.readString(site.privateKey)), null)
                .timeout(Duration.ofMinutes(2))
                .build();
        List<Long> took = new ArrayList<>();
        for (int i = 0, n = Integer.getInteger("bench.injvm", 5); i <= n; i++) {
            long start = System.nanoTime();
            ProgressListener listener = Boolean.getBoolean("bench.timeline")
                    ? m -> System.err.printf("  in-JVM %6.1f ms  %s%n", (System.nanoTime() - start) / 1e6, m)
                    : ProgressListener.none();
            new Bootstrap(request, Map.of(), Clock.systemUTC()).call(listener);
            if (i > 0) {
                took.add(System.nanoTime() - start);
            }
            System.err.printf("side-by-side: in-JVM no-op rerun %d: %.0f ms%n", i, (System.nanoTime() - start) / 1e6);
        }
        return took;
    }

    private void export(BenchTool tool, int run) throws Exception {
        String name = (tool.name() + "-export-" + run).toLowerCase(java.util.Locale.ROOT);
        Path target = site.dir.resolve(name + (tool.exportsToStdout() ? ".yaml" : ".git"));
        if (!tool.exportsToStdout()) {
            Process init = new ProcessBuilder("git", "init", "-q", "--bare", "--initial-branch=main", target.toString())
                    .inheritIO()
                    .start();
            if (init.waitFor() != 0) {
                throw new IllegalStateException("git init failed");
            }
        }
        record(
                tool,
                Phase.EXPORT,
                ToolRun.measure(
                        tool.export(target, "flux-system"),
                        site.environment(tool, Transport.SSH),
                        site.dir,
                        ToolRun.Waits.NONE,
                        tool.exportsToStdout() ? target : null));
    }

    /**
     * With {@code -Dbench.jfr=DIR}, this project's runs record a flight recording there (for
     * scripts/jfr-summary.py): the evidence of where the time went; {@code -Dbench.javaopts} adds
     * JVM options to them (an experiment). Both off for the figures written.
     */
    private static Map<String, String> recorded(BenchTool tool, Map<String, String> env, String name) {
        String dir = System.getProperty("bench.jfr");
        String options = System.getProperty("bench.javaopts", "");
        if (dir == null && options.isEmpty() || !(tool instanceof BenchTool.FluxCodeCommit)) {
            return env;
        }
        Map<String, String> recorded = new LinkedHashMap<>(env);
        recorded.put(
                "FLUX_CODECOMMIT_JAVA_OPTS",
                options
                        + (dir == null
                                ? ""
                                : " -XX:StartFlightRecording=settings=profile,filename="
                                        + Path.of(dir, name + ".jfr")));
        return recorded;
    }

    private void record(BenchTool tool, Phase phase, ToolRun run) {
        runs.get(tool.name()).computeIfAbsent(phase, p -> new ArrayList<>()).add(run);
        System.err.printf(
                "side-by-side: %-16s %-27s wall %6.2f s  own %6.2f s  cpu %6.2f s  rss %4d MiB%n",
                tool.name(),
                phase.title,
                run.wallNanos() / 1e9,
                run.ownNanos() / 1e9,
                run.cpuMillis() / 1e3,
                run.peakRssKb() >> 10);
    }
}
