package io.jenkins.plugins.fluxcodecommit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Flux parts scripts/ensure-flux.sh builds once into a cache (the build runs it): the
 * source-controller and kustomize-controller binaries Flux v2.9.4 pins, kustomize, and Flux's
 * install manifests generated from the controllers' modules as the release generates them.
 */
public final class RealFlux {
    private final Path dir;

    private RealFlux(Path dir) {
        this.dir = dir;
    }

    /** The built parts; aborts the test (fails it under CI) when they are not there. */
    public static RealFlux require() {
        String file = System.getProperty("flux.dir.file", "target/flux-dir.txt");
        ensureBuilt(file);
        Path dir = null;
        try {
            if (Files.isReadable(Path.of(file))) {
                dir = Path.of(Files.readString(Path.of(file)).strip());
            }
        } catch (IOException ignored) {
            // reported below
        }
        if (dir == null || !Files.isRegularFile(dir.resolve("versions.txt"))) {
            String message = "The real Flux parts are not built (see " + file + "); run scripts/ensure-flux.sh"
                    + " (./mvnw verify does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        return new RealFlux(dir);
    }

    /**
     * A test run alone ({@code -Dtest=...}) comes before the build's own ensure-flux step: then
     * the script is run here, once (it only reads the cache when the parts are built).
     */
    private static synchronized void ensureBuilt(String file) {
        String script = System.getProperty("flux.ensure.script");
        if (script == null || Files.isReadable(Path.of(file))) {
            return;
        }
        try {
            new ProcessBuilder("bash", script, file).inheritIO().start().waitFor();
        } catch (IOException e) {
            // reported by the caller: the file is still missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A bootstrap of {@code ns} from {@code url} with Flux's real manifests and the two controllers
     * the tests run, at path clusters/prod, with a timeout the real controllers meet; the caller
     * adds the credentials.
     */
    public static io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest.Builder bootstrap(
            String url, String ns, KubeApiServer cluster) {
        return io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest.builder(url)
                .path("clusters/prod")
                .install(new io.jenkins.plugins.fluxcodecommit.flux.InstallOptions(
                        null,
                        ns,
                        java.util.List.of("source-controller", "kustomize-controller"),
                        null,
                        null,
                        null,
                        true,
                        false,
                        null,
                        null,
                        null))
                .manifests(new io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource.Directory(
                        require().manifests().toString()))
                .cluster(cluster.target())
                .pollInterval(java.time.Duration.ofMillis(200))
                .timeout(java.time.Duration.ofMinutes(2));
    }

    /** Flux's install manifests, as the release's manifests.tar.gz holds them. */
    public Path manifests() {
        return dir.resolve("manifests");
    }

    public Path kustomize() {
        return dir.resolve("bin/kustomize");
    }

    public Path sourceController() {
        return dir.resolve("bin/source-controller");
    }

    public Path kustomizeController() {
        return dir.resolve("bin/kustomize-controller");
    }

    /** {@code kustomize build DIR}, with the options Flux's generator builds with. */
    public String kustomizeBuild(Path kustomization) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        kustomize().toString(),
                        "build",
                        "--reorder",
                        "none",
                        "--load-restrictor",
                        "LoadRestrictionsNone",
                        kustomization.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kustomize build " + kustomization + " failed");
        }
        return out;
    }
}
