package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.FluxCodeCommitBootstrapBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.RotateCodeCommitKeyBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.FluxCodeCommitBootstrapStep;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps' caFile: a path in the agent's workspace whose CA the engine on the agent trusts, for
 * a repository behind a TLS proxy whose CA the agent JVM does not trust.
 */
@WithJenkins
class CaFileStepTest {
    static final String REGION = "us-east-1";
    static final AwsKeys KEYS = AwsKeys.of("AKIAPLUGINCAFILE0001", "canary-plugin-ca-file-secret-key-0042");
    static final PrivateCa CA = new PrivateCa("Corporate Proxy CA");

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitHttpsServer PROXIED = new CodeCommitHttpsServer(REGION, CA.serverKeyStore());

    static KubeConnection kube;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() {
        PROXIED.registerKey(KEYS, CodeCommitHttpsServer.Permission.PULL, CodeCommitHttpsServer.Permission.PUSH);
        kube = CLUSTER.connect();
    }

    @AfterAll
    static void close() {
        kube.close();
    }

    private WorkflowJob job(JenkinsRule r, String name, String repo, String ns, String caFile) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(
                """
                node('agent') {
                  writeFile file: 'certs/proxy-ca.pem', text: '''%s'''
                  def r = fluxCodeCommitBootstrap url: '%s', credentialsId: 'cc-iam', path: 'clusters/prod',
                      namespace: '%s', cluster: kubeconfigCredentials(credentialsId: 'kube'), manifests: '%s',
                      timeout: '30s'%s
                  echo "outcome=${r.outcome}"
                }
                """.formatted(
                                CA.certificatePem(),
                                PROXIED.url(repo),
                                ns,
                                System.getProperty("flux.sample.manifests"),
                                caFile == null ? "" : ", caFile: '" + caFile + "'"),
                true));
        return job;
    }

    @Test
    void theStepsCaFileOnTheAgentLetsItBootstrapBehindATlsProxy(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        CodeCommitIdentityCredentials iam =
                new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc-iam", "bootstrap behind a proxy");
        iam.setAccessKeyId(KEYS.accessKeyId());
        iam.setSecretAccessKey(Secret.fromString(KEYS.secretAccessKey().reveal()));
        iam.setRegion(REGION);
        LocalServers.add(iam, LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        String repo = LocalServers.unique("plugin-ca-file");
        PROXIED.createRepository(repo);
        String ns = LocalServers.unique("flux-ca-file");

        // Without caFile the agent does not trust the proxy: the fix names the parameter, nothing is pushed.
        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job(r, "no-ca-file", repo, ns, null));
        r.assertLogContains("is not trusted: no CA in the JVM's trust store issued it", refused);
        r.assertLogContains("(Jenkins steps: caFile)", refused);
        assertThat(Clusters.head(PROXIED::open, repo)).isEqualTo("none");

        try (var flux = new FluxControllers(
                kube.client(), ns, "main", () -> Clusters.head(PROXIED::open, repo), FluxControllers.Mode.HEALTHY)) {
            WorkflowRun run = r.buildAndAssertSuccess(job(r, "ca-file", repo, ns, "certs/proxy-ca.pem"));
            r.assertLogContains("outcome=CHANGED", run);
            r.assertLogNotContains(KEYS.secretAccessKey().reveal(), run);
        }
        assertThat(Clusters.head(PROXIED::open, repo)).isNotEqualTo("none");
    }

    @Test
    void bothFormsKeepTheCaFile(JenkinsRule r) throws Exception {
        FluxCodeCommitBootstrapStep bootstrap =
                new FluxCodeCommitBootstrapStep("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet");
        bootstrap.setCaFile("certs/proxy-ca.pem");
        FluxCodeCommitBootstrapBuilder before = new FluxCodeCommitBootstrapBuilder(bootstrap);
        r.assertEqualDataBoundBeans(before, r.configRoundtrip(before));

        var rotate = FormsTest.rotation(List.of());
        rotate.setCaFile("certs/proxy-ca.pem");
        RotateCodeCommitKeyBuilder rotation = new RotateCodeCommitKeyBuilder(rotate);
        RotateCodeCommitKeyBuilder after = r.configRoundtrip(rotation);
        assertThat(after.getStep().getCaFile()).isEqualTo("certs/proxy-ca.pem");
    }
}
