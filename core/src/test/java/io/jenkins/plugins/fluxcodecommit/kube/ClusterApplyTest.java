package io.jenkins.plugins.fluxcodecommit.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.flux.InstallManifests;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestFiles;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server-side apply of Flux's install manifests against a real kube-apiserver. */
class ClusterApplyTest {
    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @Test
    void installsCrdsFirstThenEverythingAndASecondApplyChangesNothing() {
        ManifestFiles files = ManifestFiles.load(
                new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")),
                "v2.9.4",
                Path.of("target"),
                Duration.ofSeconds(10),
                ProgressListener.none());
        InstallManifests install = InstallManifests.generate(
                files, new InstallOptions(null, "apply-test", null, null, null, null, true, true, null, null, null));
        Redactor redactor = new Redactor();
        try (AwsClients aws = new AwsClients(AwsSettings.defaults(), redactor, Map.of());
                KubeConnection kube = KubeConnection.open(
                        CLUSTER.target(), aws, null, Map.of(), redactor, Clock.systemUTC(), Duration.ofSeconds(30))) {
            ClusterApply apply = new ClusterApply(
                    kube.client(),
                    kube.describe(),
                    ProgressListener.none(),
                    redactor,
                    Clock.systemUTC(),
                    Duration.ofMillis(200));
            List<ClusterApply.Applied> first = apply.apply(install.objects(), Duration.ofMinutes(1));
            assertThat(first).hasSize(install.objects().size());
            // CRDs are cluster-wide and other tests share this API server: they may exist already.
            assertThat(first)
                    .filteredOn(a -> !a.id().startsWith("CustomResourceDefinition/"))
                    .allMatch(a -> a.change() == ClusterApply.Change.CREATED);
            assertThat(first.get(0).id()).startsWith("CustomResourceDefinition/");

            GenericKubernetesResource deployment = kube.client()
                    .genericKubernetesResources("apps/v1", "Deployment")
                    .inNamespace("apply-test")
                    .withName("source-controller")
                    .get();
            assertThat(deployment.getMetadata().getManagedFields())
                    .anyMatch(f ->
                            f.getManager().equals("flux") && f.getOperation().equals("Apply"));

            List<ClusterApply.Applied> second = apply.apply(install.objects(), Duration.ofMinutes(1));
            assertThat(second).allMatch(a -> a.change() == ClusterApply.Change.UNCHANGED);
        }
    }
}
