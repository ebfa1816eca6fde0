package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Computer;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Label;
import hudson.model.Result;
import hudson.model.User;
import hudson.tasks.Shell;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.RotateCodeCommitKeyBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.ClusterSpec;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotateCodeCommitKeyStep;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotationTargetSpec;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.security.QueueItemAuthenticatorConfiguration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * rotateCodeCommitKey on a real agent against moto's IAM and STS, a real kube-apiserver and the SSH
 * Git server that trusts moto's IAM; the rotated secret is written back into the Jenkins credential.
 */
@WithJenkins
class RotateCodeCommitKeyStepTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    static KubeConnection kube;
    static IamClient admin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() {
        kube = CLUSTER.connect();
        admin = MOTO.adminIam();
    }

    @AfterAll
    static void close() {
        kube.close();
        admin.close();
    }

    static KubernetesClient k8s() {
        return kube.client();
    }

    static Clusters.AccessKeyCluster keyCluster() {
        return Clusters.accessKeyCluster(
                MOTO, k8s(), LocalServers.unique("plugin-user"), LocalServers.unique("plugin-apps"));
    }

    static String clusterValue(String ns, String secret, String key) {
        return new String(
                Base64.getDecoder()
                        .decode(k8s().secrets()
                                .inNamespace(ns)
                                .withName(secret)
                                .get()
                                .getData()
                                .get(key)),
                StandardCharsets.UTF_8);
    }

    /** The identity Jenkins stores for the cluster, and an administrator identity that calls IAM. */
    static void credentials(Clusters.AccessKeyCluster c) throws IOException {
        CodeCommitIdentityCredentials cc =
                new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc", "the cluster's key");
        cc.setIamUser(c.user());
        cc.setAccessKeyId(c.first().accessKeyId());
        cc.setSecretAccessKey(Secret.fromString(c.first().secretAccessKey().reveal()));
        cc.setRotationWriteBack(true);
        CodeCommitIdentityCredentials iam =
                new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "iam-admin", "calls IAM");
        iam.setAccessKeyId("AKIAADMINADMINADMIN1");
        iam.setSecretAccessKey(Secret.fromString("admin"));
        LocalServers.add(cc, iam, LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        LocalServers.awsEndpoints(MOTO);
    }

    static String pipeline(Clusters.AccessKeyCluster c) {
        return """
                node('agent') {
                  def r = rotateCodeCommitKey kind: 'access-key', credentialsId: 'cc', awsCredentialsId: 'iam-admin',
                      region: 'us-east-1', cluster: kubeconfigCredentials(credentialsId: 'kube'), name: '%s',
                      targets: [kubernetesSecret(namespace: '%s', name: 'codecommit',
                          keys: 'accessKeyId=AWS_ACCESS_KEY_ID\\nsecretAccessKey=AWS_SECRET_ACCESS_KEY',
                          constants: 'AWS_REGION=us-east-1')],
                      deleteAfter: '0', deactivateAfter: '0', verifyTimeout: '20s'
                  echo "outcome=${r.outcome} old=${r.oldId} new=${r.newId}"
                }
                """.formatted(c.namespace(), c.namespace());
    }

    static CodeCommitIdentityCredentials stored(String id) {
        return SystemCredentialsProvider.getInstance().getCredentials().stream()
                .filter(x -> x instanceof CodeCommitIdentityCredentials cc
                        && cc.getId().equals(id))
                .map(CodeCommitIdentityCredentials.class::cast)
                .findFirst()
                .orElseThrow();
    }

    static List<AccessKeyMetadata> keys(String user) {
        return admin.listAccessKeys(b -> b.userName(user)).accessKeyMetadata();
    }

    @Test
    void anAccessKeyRotatedInAPipelineOnAnAgentIsWrittenBackToTheJenkinsCredential(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.AccessKeyCluster c = keyCluster();
        credentials(c);
        WorkflowJob job = r.createProject(WorkflowJob.class, "rotate-access-key");
        job.setDefinition(new CpsFlowDefinition(pipeline(c), true));
        WorkflowRun run = r.buildAndAssertSuccess(job);

        String newId = clusterValue(c.namespace(), "codecommit", "AWS_ACCESS_KEY_ID");
        String newSecret = clusterValue(c.namespace(), "codecommit", "AWS_SECRET_ACCESS_KEY");
        assertThat(newId).isNotEqualTo(c.first().accessKeyId());
        r.assertLogContains("outcome=ROTATED old=" + c.first().accessKeyId() + " new=" + newId, run);
        r.assertLogContains("Jenkins credential 'cc' now holds access-key " + newId, run);
        CodeCommitIdentityCredentials after = stored("cc");
        assertThat(after.getAccessKeyId()).isEqualTo(newId);
        assertThat(after.getSecretAccessKey().getPlainText()).isEqualTo(newSecret);
        assertThat(after.getIamUser()).isEqualTo(c.user());
        assertThat(keys(c.user())).extracting(AccessKeyMetadata::accessKeyId).containsExactly(newId);
        List<String> secrets = List.of(newSecret, c.first().secretAccessKey().reveal());
        for (String s : secrets) {
            r.assertLogNotContains(s, run);
        }
        LocalServers.assertNoSecretInBuildFiles(run, secrets);
        LocalServers.assertNoSecretUnderJenkinsHome(r, secrets);
    }

    /** Builds of every job run as the user given (a Queue Item Authenticator, as Authorize Project sets). */
    static void runAs(JenkinsRule r, String user) {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ, Item.READ, Item.BUILD, Computer.BUILD, CredentialsProvider.USE_ITEM)
                .everywhere()
                .to("bob"));
        var authenticators = QueueItemAuthenticatorConfiguration.get().getAuthenticators();
        authenticators.clear();
        MockQueueItemAuthenticator as = new MockQueueItemAuthenticator();
        for (Item item : r.jenkins.getAllItems()) {
            as.authenticate(item.getFullName(), User.getById(user, true).impersonate2());
        }
        authenticators.add(as);
    }

    @Test
    void aBuildThatMayNotUpdateTheCredentialIsRefusedBeforeAnyChange(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.AccessKeyCluster c = keyCluster();
        credentials(c);
        WorkflowJob job = r.createProject(WorkflowJob.class, "rotate-no-permission");
        job.setDefinition(new CpsFlowDefinition(pipeline(c), true));
        runAs(r, "bob");

        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("may not update credentials", refused);
        r.assertLogContains("Nothing was changed.", refused);
        assertThat(clusterValue(c.namespace(), "codecommit", "AWS_ACCESS_KEY_ID"))
                .isEqualTo(c.first().accessKeyId());
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());

        runAs(r, "admin");
        r.buildAndAssertSuccess(job);
        String newId = clusterValue(c.namespace(), "codecommit", "AWS_ACCESS_KEY_ID");
        assertThat(newId).isNotEqualTo(c.first().accessKeyId());
        assertThat(stored("cc").getAccessKeyId()).isEqualTo(newId);
    }

    @Test
    void aBuildRunningAsSystemWritesOnlyToACredentialThatAllowsIt(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.AccessKeyCluster c = keyCluster();
        credentials(c);
        stored("cc").setRotationWriteBack(false);
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob job = r.createProject(WorkflowJob.class, "rotate-not-allowed");
        job.setDefinition(new CpsFlowDefinition(pipeline(c), true));

        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("does not allow rotateCodeCommitKey to replace its secrets", refused);
        assertThat(keys(c.user()))
                .extracting(AccessKeyMetadata::accessKeyId)
                .containsExactly(c.first().accessKeyId());
        assertThat(stored("cc").getAccessKeyId()).isEqualTo(c.first().accessKeyId());
    }

    @Test
    void anSshKeyRotatedByTheFreestyleStepMovesFluxAndTheSshCredentialToTheNewKeyId(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.SshFluxCluster c = Clusters.sshFluxCluster(
                MOTO,
                SSH,
                CLUSTER,
                k8s(),
                LocalServers.unique("plugin-ssh-user"),
                LocalServers.unique("plugin-rotate-ssh"),
                LocalServers.unique("flux-rotate"),
                m -> {});
        String user = c.user();
        String keyId = c.keyId();
        SshKeyPair key = c.key();
        String repo = c.repo();
        String ns = c.namespace();
        try (var flux = new FluxControllers(
                k8s(), ns, "main", () -> Clusters.head(SSH::open, repo), FluxControllers.Mode.FETCHES_WITH_SECRET)) {
            BasicSSHUserPrivateKey ssh = new BasicSSHUserPrivateKey(
                    CredentialsScope.GLOBAL,
                    "flux-ssh",
                    keyId,
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(
                            key.privateKeyPem().reveal()),
                    null,
                    "Flux's deploy key");
            ssh.setUsernameSecret(true);
            CodeCommitIdentityCredentials iam =
                    new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "iam-admin", "calls IAM");
            iam.setAccessKeyId("AKIAADMINADMINADMIN1");
            iam.setSecretAccessKey(Secret.fromString("admin"));
            LocalServers.add(ssh, iam, LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));

            RotateCodeCommitKeyStep step = new RotateCodeCommitKeyStep("ssh-key");
            step.setUser(user);
            step.setCredentialsId("flux-ssh");
            step.setAwsCredentialsId("iam-admin");
            step.setRegion("us-east-1");
            step.setCluster(new ClusterSpec.KubeconfigCredentials("kube"));
            RotationTargetSpec.FluxSource target = new RotationTargetSpec.FluxSource();
            target.setNamespace(ns);
            step.setTargets(List.of(target));
            step.setDeleteAfter("0");
            step.setDeactivateAfter("0");
            step.setVerifyTimeout("20s");
            LocalServers.awsEndpoints(MOTO);
            FreeStyleProject project = r.createFreeStyleProject("rotate-ssh");
            // An SSH credential takes the new key from a build that runs as a user with Credentials/Update.
            runAs(r, "admin");
            project.setAssignedLabel(Label.get("agent"));
            project.getBuildersList().add(new RotateCodeCommitKeyBuilder(step));
            project.getBuildersList().add(new Shell("echo \"new=$FLUX_CODECOMMIT_NEW_ID\""));
            FreeStyleBuild build = r.buildAndAssertSuccess(project);

            BasicSSHUserPrivateKey after = SystemCredentialsProvider.getInstance().getCredentials().stream()
                    .filter(x ->
                            x instanceof BasicSSHUserPrivateKey b && b.getId().equals("flux-ssh"))
                    .map(BasicSSHUserPrivateKey.class::cast)
                    .findFirst()
                    .orElseThrow();
            String newId = after.getUsername();
            assertThat(after.isUsernameSecret())
                    .as("the user's choice to mask the key ID survives")
                    .isTrue();
            assertThat(newId).isNotEqualTo(keyId).startsWith("APKA");
            r.assertLogContains("new=" + newId, build);
            // The key Jenkins now holds opens the repository as the new key ID, as Flux's does.
            try (GitAccess git = GitAccess.builder(
                            CodeCommitUrl.parse(SSH.url(newId, repo)),
                            new GitAuth.SshKey(
                                    io.jenkins.plugins.fluxcodecommit.secret.Secret.of(
                                            after.getPrivateKeys().get(0)),
                                    null,
                                    SSH.knownHostsLine()))
                    .open()) {
                git.lsRemote();
            }
            r.assertLogNotContains("PRIVATE KEY", build);
        }
    }

    @Test
    void theFreestyleFormRoundTripsTargets(JenkinsRule r) throws Exception {
        RotateCodeCommitKeyStep step = new RotateCodeCommitKeyStep("https-git-credential");
        step.setUser("argocd-reader");
        step.setCredentialsId("argo-git");
        ClusterSpec.EksCluster eks = new ClusterSpec.EksCluster("prod-eu");
        eks.setRegion("eu-west-1");
        step.setCluster(eks);
        step.setMaxAgeDays(300);
        RotationTargetSpec.ArgoRepository argo = new RotationTargetSpec.ArgoRepository("repo-fleet");
        RotationTargetSpec.KubernetesSecret named =
                new RotationTargetSpec.KubernetesSecret("apps", "git", "username=user\npassword=pass");
        step.setTargets(List.of(argo, named));
        RotateCodeCommitKeyBuilder before = new RotateCodeCommitKeyBuilder(step);
        RotateCodeCommitKeyBuilder after = r.configRoundtrip(before);
        r.assertEqualDataBoundBeans(before, after);
    }
}
