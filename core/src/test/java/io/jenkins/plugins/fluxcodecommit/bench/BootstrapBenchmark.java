package io.jenkins.plugins.fluxcodecommit.bench;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer.Permission;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rerunnable bootstrap benchmark against local servers (CodeCommit-faithful HTTPS Git server, a
 * real kube-apiserver), writing a table to docs/performance.md. Run with scripts/bench.sh.
 * Wall times exclude waiting for controllers (health waits are off), as the targets say.
 */
public final class BootstrapBenchmark {
    private static final String BEGIN = "<!-- warm-jvm: written by scripts/bench.sh -->";
    private static final String END = "<!-- warm-jvm: end -->";
    private static final int WARMUP = 3;
    private static final int RUNS = 10;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", args.length > 0 ? args[0] : "docs/performance.md"));
        Path cliJar =
                Path.of(System.getProperty("bench.cli", args.length > 1 ? args[1] : "cli/target/flux-codecommit.jar"));
        String manifests = System.getProperty("flux.sample.manifests", "examples/flux-manifests-sample");
        CodeCommitHttpsServer git = new CodeCommitHttpsServer("us-east-1");
        git.start();
        KubeApiServer cluster = KubeApiServer.standalone();
        AwsKeys keys = AwsKeys.of("AKIABENCHMARK0000001", "benchmark-secret-access-key");
        git.registerKey(keys, Permission.PULL, Permission.PUSH);
        List<Long> fresh = new ArrayList<>();
        List<Long> noop = new ArrayList<>();
        long peakHeap = 0;
        try (AwsClients aws = new AwsClients(AwsSettings.defaults(), new Redactor(), Map.of());
                KubeConnection kube = KubeConnection.open(
                        cluster.target(),
                        aws,
                        null,
                        Map.of(),
                        new Redactor(),
                        Clock.systemUTC(),
                        Duration.ofSeconds(30))) {
            for (int i = 0; i < WARMUP + RUNS; i++) {
                String name = "bench-" + i;
                git.createRepository(name);
                BootstrapRequest request = BootstrapRequest.builder(git.url(name))
                        .identity(keys)
                        .region("us-east-1")
                        .path("clusters/bench")
                        .install(new InstallOptions(null, name, null, null, null, null, true, true, null, null, null))
                        .manifests(new ManifestsSource.Directory(manifests))
                        .cluster(cluster.target())
                        .waitForHealth(false)
                        .build();
                resetPeaks();
                long t0 = System.nanoTime();
                new Bootstrap(request, Map.of(), Clock.systemUTC()).call(ProgressListener.none());
                long took = System.nanoTime() - t0;
                peakHeap = Math.max(peakHeap, heapPeak());
                if (i >= WARMUP) {
                    fresh.add(took);
                    // Flux has synced this cluster (played), so a rerun has nothing to install.
                    String head;
                    try (var repo = git.open(name)) {
                        head = repo.resolve("refs/heads/main").name();
                    }
                    try (var controllers = new FluxControllers(
                            kube.client(), name, "main", () -> head, FluxControllers.Mode.HEALTHY)) {
                        Thread.sleep(300);
                        resetPeaks();
                        long n0 = System.nanoTime();
                        new Bootstrap(request, Map.of(), Clock.systemUTC()).call(ProgressListener.none());
                        noop.add(System.nanoTime() - n0);
                        peakHeap = Math.max(peakHeap, heapPeak());
                    }
                }
            }
        } finally {
            git.stop();
            cluster.stop();
        }
        List<Long> cli = new ArrayList<>();
        if (Files.isRegularFile(cliJar)) {
            for (int i = 0; i < 5; i++) {
                Path dir = Files.createTempDirectory("bench-cli");
                Path bare = dir.resolve("fleet.git");
                new ProcessBuilder("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString())
                        .start()
                        .waitFor();
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(
                                "java",
                                "-Xmx256m",
                                "-jar",
                                cliJar.toString(),
                                "bootstrap",
                                "--url",
                                bare.toString(),
                                "--path",
                                "clusters/bench",
                                "--manifests",
                                manifests)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("CLI bootstrap failed");
                }
                cli.add(System.nanoTime() - t0);
                io.jenkins.plugins.fluxcodecommit.git.Directories.delete(dir);
            }
        }
        String rotation = rotationBenchmark(manifests);
        String table = BEGIN
                + """

                ## The engine in a warm JVM

                Measured by `scripts/bench.sh` (`BootstrapBenchmark`) on %s: %d cores, Java %s.
                Local servers: the CodeCommit-faithful HTTPS Git server (SigV4 verified) and a real
                kube-apiserver %s with etcd, all on loopback. Bootstrap wall times exclude waiting for
                controllers (health waits off); %d warm-up runs first. Install manifests: the sample set
                (29 objects).

                | measure | target | median | p90 | max |
                |---|---|---|---|---|
                | fresh bootstrap, warm JVM (HTTPS+IAM: clone, 2 commits, 2 pushes, install, secret, sync) | ≤ 1 s | %s | %s | %s |
                | no-op rerun, warm JVM (Flux synced: nothing committed or changed) | ≤ 0.5 s | %s | %s | %s |
                | CLI process start to done, export mode into a local repository (-Xmx256m) | ≤ 4 s | %s | %s | %s |
                | peak heap used during a bootstrap (heap pools' peak) | ≤ 256 MB | %d MB | | |
                """.formatted(
                                LocalDate.now(),
                                Runtime.getRuntime().availableProcessors(),
                                System.getProperty("java.version"),
                                "v1.34.4",
                                WARMUP,
                                ms(pct(fresh, 50)),
                                ms(pct(fresh, 90)),
                                ms(pct(fresh, 100)),
                                ms(pct(noop, 50)),
                                ms(pct(noop, 90)),
                                ms(pct(noop, 100)),
                                ms(pct(cli, 50)),
                                ms(pct(cli, 90)),
                                ms(pct(cli, 100)),
                                peakHeap >> 20)
                + rotation
                + END
                + "\n";
        SideBySideReport.writeSection(out, BEGIN, END, table);
        System.out.println(table);
    }

    private static final int CLUSTERS = 100;
    private static final int CONCURRENCY = 8;

    /**
     * 100 clusters' access keys rotated with bounded concurrency: each cluster is a namespace of
     * the real API server holding its IAM user's key in a secret; IAM and STS are moto's.
     */
    private static String rotationBenchmark(String manifests) throws Exception {
        io.jenkins.plugins.fluxcodecommit.testing.MotoServer moto =
                io.jenkins.plugins.fluxcodecommit.testing.MotoServer.standalone();
        KubeApiServer cluster = KubeApiServer.standalone();
        try (AwsClients aws = new AwsClients(AwsSettings.defaults(), new Redactor(), Map.of());
                KubeConnection kube = KubeConnection.open(
                        cluster.target(),
                        aws,
                        null,
                        Map.of(),
                        new Redactor(),
                        Clock.systemUTC(),
                        Duration.ofSeconds(30))) {
            AwsSettings settings =
                    AwsSettings.defaults().withIamEndpoint(moto.endpoint()).withStsEndpoint(moto.endpoint());
            List<io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest> requests = new ArrayList<>();
            Map<String, String> names =
                    Map.of("accessKeyId", "AWS_ACCESS_KEY_ID", "secretAccessKey", "AWS_SECRET_ACCESS_KEY");
            for (int i = 0; i < CLUSTERS; i++) {
                String name = "cluster-" + i;
                AwsKeys key = moto.createUserWithKey(name + "_codecommit_user");
                kube.client()
                        .namespaces()
                        .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .build())
                        .create();
                kube.client()
                        .secrets()
                        .inNamespace(name)
                        .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                                .withNewMetadata()
                                .withName("codecommit")
                                .endMetadata()
                                .addToStringData("AWS_ACCESS_KEY_ID", key.accessKeyId())
                                .addToStringData(
                                        "AWS_SECRET_ACCESS_KEY",
                                        key.secretAccessKey().reveal())
                                .build())
                        .create();
                requests.add(new io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest(
                        name,
                        io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind.ACCESS_KEY,
                        name + "_codecommit_user",
                        AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                        "us-east-1",
                        cluster.target(),
                        List.of(new io.jenkins.plugins.fluxcodecommit.rotation.RotationTarget.NamedSecret(
                                name, "codecommit", names, null)),
                        null,
                        null,
                        true,
                        false,
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200),
                        settings,
                        // The old key deactivated and deleted at once, as the table says: with a
                        // grace period each cluster would wait out NamedSecretAdapter's evidence
                        // window, since nothing here consumes the secrets.
                        Duration.ZERO));
            }
            long t0 = System.nanoTime();
            var results = new io.jenkins.plugins.fluxcodecommit.rotation.FleetRotation(
                            requests, CONCURRENCY, Map.of(), Clock.systemUTC())
                    .call(
                            ProgressListener.none(),
                            r -> io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink.none());
            long wall = System.nanoTime() - t0;
            long rotated = results.stream()
                    .filter(r ->
                            r.outcome() == io.jenkins.plugins.fluxcodecommit.rotation.RotationResult.Outcome.ROTATED)
                    .count();
            var calls = results.stream()
                    .mapToInt(io.jenkins.plugins.fluxcodecommit.rotation.RotationResult::iamCalls)
                    .summaryStatistics();
            List<Long> perCluster =
                    results.stream().map(r -> r.took().toNanos()).toList();
            return """

                    ### Rotation of a fleet

                    %d clusters (namespaces of the same real API server, each with its IAM user's access key in a
                    secret; IAM and STS from moto), rotated by `FleetRotation` with concurrency %d: inspect, create,
                    verify with STS, write the secret, deactivate and delete the old key.

                    | measure | target | value |
                    |---|---|---|
                    | clusters rotated | all | %d of %d |
                    | wall time for the fleet | | %s |
                    | time per cluster (median / p90) | | %s / %s |
                    | IAM calls per cluster, polling excluded (mean / max) | ≤ 8 | %.1f / %d |
                    """.formatted(
                            CLUSTERS,
                            CONCURRENCY,
                            rotated,
                            CLUSTERS,
                            ms(wall),
                            ms(pct(perCluster, 50)),
                            ms(pct(perCluster, 90)),
                            calls.getAverage(),
                            calls.getMax());
        } finally {
            cluster.stop();
            moto.stop();
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "n/a" : String.format("%.0f ms", nanos / 1e6);
    }
}
