package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.Shell;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.FluxCodeCommitBootstrapBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.ClusterSpec;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.FluxCodeCommitBootstrapStep;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
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
 * fluxCodeCommitBootstrap in Pipelines on a real agent and as a freestyle build step, against the
 * engine's local servers: a real kube-apiserver, the SSH and HTTPS (SigV4-checking) Git servers.
 */
@WithJenkins
class FluxCodeCommitBootstrapStepTest {
    static final String REGION = "us-east-1";
    static final String PASSPHRASE = "canary-bootstrap-passphrase-0042";
    static final AwsKeys KEYS = AwsKeys.of("AKIAPLUGINBOOTSTRAP1", "canary-plugin-secret-access-key-0042");
    static final String KEY_ID = "APKAPLUGINBOOTSTRAP1";

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer(REGION);

    static SshKeyPair key;
    static KubeConnection kube;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() {
        key = SshKeyPair.generateRsa(2048);
        SSH.registerKey(KEY_ID, key.publicKey());
        HTTPS.registerKey(KEYS, CodeCommitHttpsServer.Permission.PULL, CodeCommitHttpsServer.Permission.PUSH);
        kube = CLUSTER.connect();
    }

    @AfterAll
    static void close() {
        kube.close();
    }

    static KubernetesClient k8s() {
        return kube.client();
    }

    CodeCommitIdentityCredentials sshIdentity() {
        CodeCommitIdentityCredentials c =
                new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc-ssh", "bootstrap over SSH");
        c.setSshKeyId(KEY_ID);
        c.setSshPrivateKey(
                Secret.fromString(key.privateKeyPem(io.jenkins.plugins.fluxcodecommit.secret.Secret.of(PASSPHRASE))
                        .reveal()));
        c.setSshPassphrase(Secret.fromString(PASSPHRASE));
        return c;
    }

    @Test
    void sshBootstrapInAPipelineOnAnAgentThenANoOpRerun(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        String repo = LocalServers.unique("plugin-ssh");
        SSH.createRepository(repo);
        String ns = LocalServers.unique("flux-plugin");
        LocalServers.add(sshIdentity(), LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        // The URL has no user: the credential's SSH key ID becomes it, as CodeCommit needs.
        String url = SSH.url(KEY_ID, repo).replace(KEY_ID + "@", "");
        WorkflowJob job = r.createProject(WorkflowJob.class, "bootstrap-ssh");
        job.setDefinition(new CpsFlowDefinition(
                """
                node('agent') {
                  def r = fluxCodeCommitBootstrap url: '%s', credentialsId: 'cc-ssh', path: 'clusters/prod',
                      namespace: '%s', cluster: kubeconfigCredentials(credentialsId: 'kube'), manifests: '%s', timeout: '30s',
                      knownHosts: '%s'
                  echo "outcome=${r.outcome} commit=${r.commit} healthy=${r.healthy}"
                }
                """.formatted(url, ns, System.getProperty("flux.sample.manifests"), SSH.knownHostsLine()), true));
        try (var flux =
                new FluxControllers(k8s(), ns, "main", () -> headOf(repo), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            WorkflowRun first = r.buildAndAssertSuccess(job);
            r.assertLogContains("outcome=CHANGED", first);
            r.assertLogContains("healthy=true", first);
            r.assertLogContains("from the agent", first);
            assertThat(k8s().secrets()
                            .inNamespace(ns)
                            .withName("flux-system")
                            .get()
                            .getData())
                    .containsKeys("identity", "identity.pub", "known_hosts");

            WorkflowRun second = r.buildAndAssertSuccess(job);
            r.assertLogContains("outcome=UNCHANGED", second);
            for (WorkflowRun run : List.of(first, second)) {
                r.assertLogNotContains(PASSPHRASE, run);
                r.assertLogNotContains("PRIVATE KEY", run);
                LocalServers.assertNoSecretInBuildFiles(run, List.of(PASSPHRASE, "PRIVATE KEY"));
            }
            LocalServers.assertNoSecretUnderJenkinsHome(r, List.of(PASSPHRASE, "PRIVATE KEY"));
        }
    }

    @Test
    void httpsBootstrapWithIamKeysInAPipelineOnAnAgent(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        String repo = LocalServers.unique("plugin-https");
        HTTPS.createRepository(repo);
        String ns = LocalServers.unique("flux-plugin-https");
        CodeCommitIdentityCredentials iam =
                new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc-iam", "bootstrap over HTTPS");
        iam.setAccessKeyId(KEYS.accessKeyId());
        iam.setSecretAccessKey(Secret.fromString(KEYS.secretAccessKey().reveal()));
        iam.setRegion(REGION);
        LocalServers.add(iam, LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        WorkflowJob job = r.createProject(WorkflowJob.class, "bootstrap-https");
        job.setDefinition(new CpsFlowDefinition(
                """
                node('agent') {
                  def r = fluxCodeCommitBootstrap url: '%s', credentialsId: 'cc-iam', path: 'clusters/prod',
                      namespace: '%s', cluster: kubeconfigCredentials(credentialsId: 'kube'), manifests: '%s', timeout: '30s'
                  echo "outcome=${r.outcome} revision=${r.revision} secret=${r.secret}"
                }
                """.formatted(HTTPS.url(repo), ns, System.getProperty("flux.sample.manifests")), true));
        try (var flux = new FluxControllers(k8s(), ns, "main", () -> headOfHttps(repo), FluxControllers.Mode.HEALTHY)) {
            WorkflowRun run = r.buildAndAssertSuccess(job);
            r.assertLogContains("outcome=CHANGED", run);
            r.assertLogContains("revision=main@sha1:" + headOfHttps(repo), run);
            var gitRepository = k8s().genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository")
                    .inNamespace(ns)
                    .withName(ns)
                    .get();
            assertThat(gitRepository.getAdditionalProperties().toString()).contains("provider=aws");
            r.assertLogNotContains(KEYS.secretAccessKey().reveal(), run);
            LocalServers.assertNoSecretInBuildFiles(
                    run, List.of(KEYS.secretAccessKey().reveal()));
            // The secret key never reached the Git server: only SigV4 passwords derived from it.
            assertThat(HTTPS.receivedSecrets())
                    .doesNotContain(KEYS.secretAccessKey().reveal());
        }
    }

    @Test
    void freestyleExportModeWithoutAClusterLeavesTheOutcomeToLaterSteps(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        String repo = LocalServers.unique("plugin-export");
        SSH.createRepository(repo);
        LocalServers.add(sshIdentity());
        FluxCodeCommitBootstrapStep step = new FluxCodeCommitBootstrapStep(SSH.url(KEY_ID, repo));
        step.setCredentialsId("cc-ssh");
        step.setPath("clusters/dev");
        step.setManifests(System.getProperty("flux.sample.manifests"));
        step.setKnownHosts(SSH.knownHostsLine());
        FreeStyleProject project = r.createFreeStyleProject("bootstrap-export");
        project.setAssignedLabel(hudson.model.Label.get("agent"));
        project.getBuildersList().add(new FluxCodeCommitBootstrapBuilder(step));
        project.getBuildersList()
                .add(new Shell("echo \"outcome=$FLUX_CODECOMMIT_OUTCOME commit=$FLUX_CODECOMMIT_COMMIT\""));
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        // Export mode pushes nothing: the files are in the workspace, the repository is still empty.
        r.assertLogContains("outcome=EXPORTED commit=\n", build);
        assertThat(headOf(repo)).isEqualTo("none");
        assertThat(build.getWorkspace()
                        .child("flux-codecommit-export/clusters/dev/flux-system/gotk-sync.yaml")
                        .exists())
                .isTrue();
        r.assertLogContains("in export mode (no cluster given)", build);
        r.assertLogNotContains(PASSPHRASE, build);
    }

    @Test
    void theFreestyleFormRoundTripsTheStepsParameters(JenkinsRule r) throws Exception {
        FluxCodeCommitBootstrapStep step =
                new FluxCodeCommitBootstrapStep("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet");
        step.setCredentialsId("cc-iam");
        step.setPath("clusters/prod-eu");
        step.setCluster(new ClusterSpec.EksCluster("prod-eu"));
        step.setComponentsExtra("image-reflector-controller,image-automation-controller");
        step.setTimeout("10m");
        step.setWaitForHealth(false);
        FluxCodeCommitBootstrapBuilder before = new FluxCodeCommitBootstrapBuilder(step);
        FluxCodeCommitBootstrapBuilder after = r.configRoundtrip(before);
        r.assertEqualDataBoundBeans(before, after);
    }

    @Test
    void aBadUrlFailsTheBuildWithTheFixAndChangesNothing(JenkinsRule r) throws Exception {
        LocalServers.add(sshIdentity());
        WorkflowJob job = r.createProject(WorkflowJob.class, "bootstrap-bad-url");
        job.setDefinition(new CpsFlowDefinition("""
                node {
                  fluxCodeCommitBootstrap url: 'ssh://git@git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet',
                      credentialsId: 'cc-ssh'
                }
                """, true));
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("SSH user", run);
        r.assertLogContains("APKA", run);
        r.assertLogNotContains("\tat io.jenkins", run);
    }

    static String headOf(String repo) {
        return Clusters.head(SSH::open, repo);
    }

    static String headOfHttps(String repo) {
        return Clusters.head(HTTPS::open, repo);
    }
}
