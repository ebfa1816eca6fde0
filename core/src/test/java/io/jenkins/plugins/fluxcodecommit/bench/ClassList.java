package io.jenkins.plugins.fluxcodecommit.bench;

import io.jenkins.plugins.fluxcodecommit.bench.BenchSite.Transport;
import io.jenkins.plugins.fluxcodecommit.testing.RealFluxControllers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The class list the command line's class-data-sharing archive is made from
 * (cli/src/main/cds/classes.lst): the classes its real runs load, from each run the benchmark
 * measures (an SSH and an HTTPS+IAM bootstrap and their no-op reruns, an export),
 * each run's {@code -XX:DumpLoadedClassList} merged in order of first load.
 */
final class ClassList {
    private ClassList() {}

    static void write(BenchSite site, BenchTool.FluxCodeCommit tool, Path out) throws Exception {
        List<Path> dumps = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            String name = ("classes-" + transport).toLowerCase(java.util.Locale.ROOT);
            String url = site.repository(transport, name);
            try (RealFluxControllers controllers = site.controllers(name, transport)) {
                for (int i = 0; i < 2; i++) {
                    run(site, tool, tool.bootstrap(site, transport, url, name), transport, dumps);
                }
            }
        }
        Path bare = site.dir.resolve("classes-export.git");
        new ProcessBuilder("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString())
                .inheritIO()
                .start()
                .waitFor();
        run(site, tool, tool.export(bare, "flux-system"), Transport.SSH, dumps);
        Set<String> classes = new LinkedHashSet<>();
        Set<String> lambdas = new LinkedHashSet<>();
        for (Path dump : dumps) {
            for (String line : Files.readAllLines(dump)) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                (line.startsWith("@") ? lambdas : classes).add(line);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("# The classes flux-codecommit's real runs load, for its class-data-sharing archive (cli/pom.xml).");
        lines.add("# Written by scripts/bench.sh --class-list; regenerate it after changing what a run loads.");
        lines.addAll(classes);
        lines.addAll(lambdas);
        Files.write(out, lines);
        System.out.println(out + ": " + classes.size() + " classes, " + lambdas.size() + " lambda and invoker lines");
    }

    private static void run(BenchSite site, BenchTool tool, List<String> command, Transport transport, List<Path> dumps)
            throws IOException, InterruptedException {
        Path dump = site.dir.resolve("classes-" + dumps.size() + ".lst");
        Map<String, String> env = new java.util.HashMap<>(site.environment(tool, transport));
        env.put("FLUX_CODECOMMIT_JAVA_OPTS", "-Xshare:off -XX:DumpLoadedClassList=" + dump);
        ToolRun.measure(command, env, site.dir, ToolRun.Waits.NONE, null);
        dumps.add(dump);
    }
}
