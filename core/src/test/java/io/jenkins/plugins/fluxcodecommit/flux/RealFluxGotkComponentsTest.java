package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.testing.RealFlux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gotk-components.yaml rendered from Flux's real install manifests is byte for byte what flux
 * writes: flux's header, then {@code kustomize build} of the kustomization flux generates for the
 * same options (its namespace, labels, node-selector and roles files, its patches and images),
 * built as flux builds it (no reorder). So flux after this project, or this project after flux,
 * has nothing to commit.
 */
class RealFluxGotkComponentsTest {
    @TempDir
    Path temp;

    @Test
    void theDefaultInstallIsWhatKustomizeBuildsFromFluxsKustomization() throws Exception {
        assertParity(InstallOptions.defaults());
    }

    @Test
    void everyOverlayOptionIsWhatKustomizeBuildsFromFluxsKustomization() throws Exception {
        assertParity(new InstallOptions(
                null,
                "gitops",
                List.of("source-controller", "kustomize-controller"),
                List.of("image-reflector-controller", "image-automation-controller"),
                "registry.internal:5000/mirror/fluxcd",
                "regcred",
                false,
                false,
                "debug",
                List.of("node.example.com/gitops", "dedicated"),
                "corp.local"));
    }

    @Test
    void goYamlRewritesEveryFileKustomizeWroteForFluxsReleaseByteForByte() throws Exception {
        RealFlux flux = RealFlux.require();
        List<Path> files;
        try (Stream<Path> list = Files.list(flux.manifests())) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains("source-controller.yaml", "kustomize-controller.yaml", "rbac.yaml", "policies.yaml");
        for (Path file : files) {
            String kustomized = Files.readString(file);
            String ours = Yaml.parseAll(kustomized, file.toString()).stream()
                    .map(GoYaml::write)
                    .collect(Collectors.joining("---\n"));
            assertThat(ours).as(file.getFileName().toString()).isEqualTo(kustomized);
        }
    }

    private void assertParity(InstallOptions options) throws Exception {
        RealFlux flux = RealFlux.require();
        ManifestFiles files = ManifestFiles.fromDirectory(flux.manifests());
        String ours = InstallManifests.generate(files, options).yaml();

        Path base = temp.resolve("base-" + options.namespace());
        Files.createDirectories(base.resolve("roles"));
        try (Stream<Path> list = Files.list(flux.manifests())) {
            for (Path f : list.toList()) {
                Files.copy(f, base.resolve(f.getFileName()));
            }
        }
        FluxKustomization.write(base, options);
        String expected = "---\n" + InstallManifests.GENERATED + "\n# Flux Version: " + options.version()
                + "\n# Components: " + String.join(",", options.allComponents()) + "\n"
                + flux.kustomizeBuild(base);

        assertThat(ours).isEqualTo(expected);
    }
}
