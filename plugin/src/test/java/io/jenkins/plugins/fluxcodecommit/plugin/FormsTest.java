package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.FluxCodeCommitBootstrapBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.RotateCodeCommitKeyBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.ClusterSpec;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.FluxCodeCommitBootstrapStep;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotateCodeCommitKeyStep;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotationTargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Every form the plugin shows: what a user saves comes back as it was, and the docs show what Jenkins writes. */
@WithJenkins
class FormsTest {
    static RotateCodeCommitKeyStep rotation(List<RotationTargetSpec> targets) {
        RotateCodeCommitKeyStep step = new RotateCodeCommitKeyStep("access-key");
        step.setUser("flux-prod-eu");
        step.setCredentialsId("prod-eu-codecommit");
        step.setCluster(new ClusterSpec.KubeconfigCredentials("prod-eu-kubeconfig"));
        step.setTargets(targets);
        return step;
    }

    @Test
    void eachRotationTargetKeepsItsFieldsThroughTheForm(JenkinsRule r) throws Exception {
        RotationTargetSpec.FluxSource flux = new RotationTargetSpec.FluxSource();
        flux.setNamespace("gitops");
        flux.setGitRepository("fleet");
        flux.setSecretName("fleet-auth");
        RotationTargetSpec.ArgoRepository argo = new RotationTargetSpec.ArgoRepository("repo-fleet");
        argo.setNamespace("argo");
        RotationTargetSpec.KubernetesSecret named =
                new RotationTargetSpec.KubernetesSecret("apps", "aws", "accessKeyId=AWS_ACCESS_KEY_ID");
        named.setConstants("AWS_REGION=eu-west-1");
        for (RotationTargetSpec target : List.<RotationTargetSpec>of(flux, argo, named)) {
            RotateCodeCommitKeyBuilder before = new RotateCodeCommitKeyBuilder(rotation(List.of(target)));
            RotateCodeCommitKeyBuilder after = r.configRoundtrip(before);
            r.assertEqualDataBoundBeans(before, after);
        }
    }

    @Test
    void eachClusterKindKeepsItsFieldsThroughTheForm(JenkinsRule r) throws Exception {
        ClusterSpec.EksCluster eks = new ClusterSpec.EksCluster("prod-eu");
        eks.setRegion("eu-west-1");
        ClusterSpec.KubeconfigCredentials credential = new ClusterSpec.KubeconfigCredentials("kube");
        credential.setContext("prod");
        ClusterSpec.KubeconfigFile file = new ClusterSpec.KubeconfigFile();
        file.setPath(".kube/prod.yaml");
        file.setContext("prod");
        for (ClusterSpec cluster : List.of(eks, credential, file, new ClusterSpec.InCluster())) {
            FluxCodeCommitBootstrapStep step =
                    new FluxCodeCommitBootstrapStep("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet");
            step.setCluster(cluster);
            FluxCodeCommitBootstrapBuilder before = new FluxCodeCommitBootstrapBuilder(step);
            r.assertEqualDataBoundBeans(before, r.configRoundtrip(before));
        }
        // No cluster is export mode, and stays so.
        FluxCodeCommitBootstrapBuilder export = new FluxCodeCommitBootstrapBuilder(
                new FluxCodeCommitBootstrapStep("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet"));
        assertThat(r.configRoundtrip(export).getStep().getCluster()).isNull();
    }

    @Test
    void theRotationFormOffersNoExportMode(JenkinsRule r) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(new RotateCodeCommitKeyBuilder(rotation(List.of())));
        String page =
                r.createWebClient().getPage(p, "configure").getWebResponse().getContentAsString();
        assertThat(page).contains("EKS cluster by name").contains("Kubeconfig from a credential");
        assertThat(page.split("No cluster: export mode", -1))
                .as("only the bootstrap step offers it")
                .hasSize(1);
    }

    @Test
    void theEndpointsAreAnAdministratorsGlobalSetting(JenkinsRule r) throws Exception {
        FluxCodeCommitConfiguration config = FluxCodeCommitConfiguration.get();
        config.setStsEndpoint("https://sts.eu-west-1.amazonaws.com");
        config.setIamEndpoint("https://iam.amazonaws.com");
        r.configRoundtrip();
        assertThat(FluxCodeCommitConfiguration.get().getStsEndpoint()).isEqualTo("https://sts.eu-west-1.amazonaws.com");
        assertThat(FluxCodeCommitConfiguration.get().aws().iamEndpoint()).hasToString("https://iam.amazonaws.com");
        // Neither step takes an endpoint any more: a job cannot choose whom IAM answers come from.
        assertThat(Snippetizer.object2Groovy(rotation(List.of()))).doesNotContain("Endpoint");
    }

    @Test
    void theSnippetGeneratorWritesWhatTheDocsShow(JenkinsRule r) throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "jenkins.md"), StandardCharsets.UTF_8);

        FluxCodeCommitBootstrapStep bootstrap =
                new FluxCodeCommitBootstrapStep("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet");
        bootstrap.setCredentialsId("prod-eu-codecommit");
        bootstrap.setPath("clusters/prod-eu");
        ClusterSpec.EksCluster eks = new ClusterSpec.EksCluster("prod-eu");
        eks.setRegion("eu-west-1");
        bootstrap.setCluster(eks);
        bootstrap.setSourceControllerRoleArn("arn:aws:iam::123456789012:role/flux-source-controller");
        String bootstrapSnippet = Snippetizer.object2Groovy(bootstrap);
        assertThat(docs).as("docs/jenkins.md shows %s", bootstrapSnippet).contains(bootstrapSnippet);

        RotationTargetSpec.KubernetesSecret named = new RotationTargetSpec.KubernetesSecret(
                "apps", "aws", "accessKeyId=AWS_ACCESS_KEY_ID\nsecretAccessKey=AWS_SECRET_ACCESS_KEY");
        RotateCodeCommitKeyStep rotate = rotation(List.of(new RotationTargetSpec.FluxSource(), named));
        rotate.setMaxAgeDays(365);
        String rotateSnippet = Snippetizer.object2Groovy(rotate);
        assertThat(docs).as("docs/jenkins.md shows %s", rotateSnippet).contains(rotateSnippet);
    }
}
