package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsParameterDefinition;
import com.cloudbees.plugins.credentials.CredentialsParameterValue;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.model.StreamBuildListener;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.plugin.builders.RotateCodeCommitKeyBuilder;
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.ClusterSpec;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotateCodeCommitKeyStep;
import io.jenkins.plugins.fluxcodecommit.plugin.steps.RotationTargetSpec;
import io.jenkins.plugins.fluxcodecommit.plugin.writeback.CredentialWriteBack;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.NewCredential;
import io.jenkins.plugins.fluxcodecommit.rotation.NewCredentialCheck;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.io.ByteArrayOutputStream;
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
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The runtime defects found by reading the plugin against the Jenkins sources: which credential a
 * parameter names, an AWS credential without keys, the step's environment, and what the controller
 * believes of the agent's report.
 */
@WithJenkins
class RotationWriteBackTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    static KubeConnection kube;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() {
        kube = CLUSTER.connect();
    }

    @AfterAll
    static void close() {
        kube.close();
    }

    static KubernetesClient k8s() {
        return kube.client();
    }

    static Clusters.AccessKeyCluster cluster() {
        return Clusters.accessKeyCluster(MOTO, k8s(), LocalServers.unique("wb-user"), LocalServers.unique("wb-apps"));
    }

    static CodeCommitIdentityCredentials identity(String id, Clusters.AccessKeyCluster c) {
        CodeCommitIdentityCredentials cc = new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, id, null);
        cc.setIamUser(c.user());
        cc.setAccessKeyId(c.first().accessKeyId());
        cc.setSecretAccessKey(Secret.fromString(c.first().secretAccessKey().reveal()));
        cc.setRotationWriteBack(true);
        return cc;
    }

    static CodeCommitIdentityCredentials admin() {
        CodeCommitIdentityCredentials iam =
                new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "iam-admin", "calls IAM");
        iam.setAccessKeyId("AKIAADMINADMINADMIN1");
        iam.setSecretAccessKey(Secret.fromString("admin"));
        return iam;
    }

    static RotateCodeCommitKeyStep step(Clusters.AccessKeyCluster c, String credentialsId, String awsCredentialsId) {
        RotateCodeCommitKeyStep step = new RotateCodeCommitKeyStep("access-key");
        step.setCredentialsId(credentialsId);
        step.setAwsCredentialsId(awsCredentialsId);
        step.setRegion("us-east-1");
        step.setCluster(new ClusterSpec.KubeconfigCredentials("kube"));
        step.setTargets(List.of(new RotationTargetSpec.KubernetesSecret(
                c.namespace(), "codecommit", "accessKeyId=AWS_ACCESS_KEY_ID\nsecretAccessKey=AWS_SECRET_ACCESS_KEY")));
        step.setDeleteAfter("0");
        step.setDeactivateAfter("0");
        step.setVerifyTimeout("20s");
        return step;
    }

    static List<String> keyIds(String user) {
        return MOTO.adminIam().listAccessKeys(b -> b.userName(user)).accessKeyMetadata().stream()
                .map(AccessKeyMetadata::accessKeyId)
                .toList();
    }

    @Test
    void aCredentialsParameterWritesBackToTheCredentialItChose(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.AccessKeyCluster c = cluster();
        Clusters.AccessKeyCluster other = cluster();
        // 'cc-default' is the parameter's default; the build is given 'cc-chosen', which holds c's key.
        LocalServers.add(
                identity("cc-default", other),
                identity("cc-chosen", c),
                admin(),
                LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        LocalServers.awsEndpoints(MOTO);
        FreeStyleProject project = r.createFreeStyleProject("rotate-parameter");
        project.addProperty(new ParametersDefinitionProperty(new CredentialsParameterDefinition(
                "CC", null, "cc-default", CodeCommitIdentityCredentials.class.getName(), true)));
        project.setAssignedLabel(Label.get("agent"));
        project.getBuildersList().add(new RotateCodeCommitKeyBuilder(step(c, "${CC}", "iam-admin")));

        FreeStyleBuild build = r.assertBuildStatusSuccess(project.scheduleBuild2(
                0, new ParametersAction(new CredentialsParameterValue("CC", "cc-chosen", null, false))));

        String newId = keyIds(c.user()).get(0);
        assertThat(newId).isNotEqualTo(c.first().accessKeyId());
        assertThat(RotateCodeCommitKeyStepTest.stored("cc-chosen").getAccessKeyId())
                .isEqualTo(newId);
        assertThat(RotateCodeCommitKeyStepTest.stored("cc-default").getAccessKeyId())
                .isEqualTo(other.first().accessKeyId());
        r.assertLogContains("Jenkins credential 'cc-chosen' now holds access-key " + newId, build);

        // A credentials parameter named like a credential shadows it: the ID 'cc-default' means the
        // parameter's value, for the lookup and for the write-back alike.
        FreeStyleProject shadowed = r.createFreeStyleProject("rotate-shadowed");
        shadowed.addProperty(new ParametersDefinitionProperty(new CredentialsParameterDefinition(
                "cc-default", null, "cc-chosen", CodeCommitIdentityCredentials.class.getName(), true)));
        shadowed.setAssignedLabel(Label.get("agent"));
        shadowed.getBuildersList().add(new RotateCodeCommitKeyBuilder(step(c, "cc-default", "iam-admin")));
        r.assertBuildStatusSuccess(shadowed.scheduleBuild2(
                0, new ParametersAction(new CredentialsParameterValue("cc-default", "cc-chosen", null, false))));
        String newer = keyIds(c.user()).get(0);
        assertThat(newer).isNotEqualTo(newId);
        assertThat(RotateCodeCommitKeyStepTest.stored("cc-chosen").getAccessKeyId())
                .isEqualTo(newer);
        assertThat(RotateCodeCommitKeyStepTest.stored("cc-default").getAccessKeyId())
                .isEqualTo(other.first().accessKeyId());
    }

    @Test
    void anAwsCredentialWithoutKeysIsTheControllersOwnIdentity(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.AccessKeyCluster c = cluster();
        AWSCredentialsImpl blank = new AWSCredentialsImpl(
                CredentialsScope.GLOBAL, "controller-role", "", "", "the controller's own identity");
        LocalServers.add(blank, LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        LocalServers.awsEndpoints(MOTO);
        FreeStyleProject project = r.createFreeStyleProject("rotate-blank-aws");
        project.setAssignedLabel(Label.get("agent"));
        RotateCodeCommitKeyStep step = step(c, null, "controller-role");
        step.setUser(c.user());
        project.getBuildersList().add(new RotateCodeCommitKeyBuilder(step));

        // The test JVM is the controller and has no AWS identity (the build hides the machine's).
        FreeStyleBuild refused = r.buildAndAssertStatus(Result.FAILURE, project);
        r.assertLogContains("has no keys, which means the controller's own AWS identity", refused);
        r.assertLogNotContains("NullPointerException", refused);
        assertThat(keyIds(c.user())).containsExactly(c.first().accessKeyId());

        // Given one (system properties are part of the SDK's default chain), it is used.
        System.setProperty("aws.accessKeyId", "AKIAADMINADMINADMIN1");
        System.setProperty("aws.secretAccessKey", "admin");
        try {
            r.buildAndAssertSuccess(project);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(keyIds(c.user())).doesNotContain(c.first().accessKeyId()).hasSize(1);
    }

    @Test
    void withoutACredentialTheStepsEnvironmentIsTheAwsIdentity(JenkinsRule r) throws Exception {
        LocalServers.agent(r, tmp);
        Clusters.AccessKeyCluster c = cluster();
        LocalServers.add(LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
        LocalServers.awsEndpoints(MOTO);
        WorkflowJob job = r.createProject(WorkflowJob.class, "rotate-with-env");
        job.setDefinition(new CpsFlowDefinition("""
                node('agent') {
                  withEnv(['AWS_ACCESS_KEY_ID=AKIAADMINADMINADMIN1', 'AWS_SECRET_ACCESS_KEY=admin']) {
                    def r = rotateCodeCommitKey kind: 'access-key', user: '%s', region: 'us-east-1',
                        cluster: kubeconfigCredentials(credentialsId: 'kube'),
                        targets: [kubernetesSecret(namespace: '%s', name: 'codecommit',
                            keys: 'accessKeyId=AWS_ACCESS_KEY_ID\\nsecretAccessKey=AWS_SECRET_ACCESS_KEY')],
                        deleteAfter: '0', deactivateAfter: '0', verifyTimeout: '20s'
                    echo "outcome=${r.outcome}"
                  }
                }
                """.formatted(c.user(), c.namespace()), true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("outcome=ROTATED", run);
        assertThat(keyIds(c.user())).doesNotContain(c.first().accessKeyId());
    }

    @Test
    void theControllerRefusesANewKeyAwsDoesNotConfirm(JenkinsRule r) throws Exception {
        Clusters.AccessKeyCluster c = cluster();
        LocalServers.add(identity("cc", c));
        LocalServers.awsEndpoints(MOTO);
        FreeStyleProject project = r.createFreeStyleProject("forged");
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        var check = new NewCredentialCheck(FluxCodeCommitConfiguration.get().aws(), null, "us-east-1");
        CredentialWriteBack writeBack = new CredentialWriteBack(
                "cc",
                CredentialKind.ACCESS_KEY,
                c.user(),
                check,
                build,
                new StreamBuildListener(new ByteArrayOutputStream()));
        writeBack.preflight();

        // An agent (or whoever talks to the exported write-back) reports a key IAM never made.
        NewCredential forged = new NewCredential(
                CredentialKind.ACCESS_KEY,
                c.user(),
                "AKIAFORGEDFORGEDFORG",
                io.jenkins.plugins.fluxcodecommit.secret.Secret.of("canary-forged-secret-0042"),
                null);
        assertThatThrownBy(() -> writeBack.accept(forged))
                .isInstanceOf(FluxCodeCommitException.class)
                .hasMessageContaining("AWS does not confirm")
                .hasMessageNotContaining("canary-forged-secret-0042");
        // Another user's real key is refused too: STS names its owner.
        var stranger = MOTO.createUserWithKey(LocalServers.unique("stranger"));
        NewCredential strangers = new NewCredential(
                CredentialKind.ACCESS_KEY, c.user(), stranger.accessKeyId(), stranger.secretAccessKey(), null);
        assertThatThrownBy(() -> writeBack.accept(strangers)).hasMessageContaining("STS says");
        assertThat(RotateCodeCommitKeyStepTest.stored("cc").getAccessKeyId())
                .isEqualTo(c.first().accessKeyId());
        writeBack.close();
    }
}
