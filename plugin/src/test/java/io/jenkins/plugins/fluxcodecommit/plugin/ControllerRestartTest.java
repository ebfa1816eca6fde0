package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.FluxControllers;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart while a step runs: the step does not resume half-remembered (its execution
 * is a non-blocking synchronous one, which fails on resume); the build fails saying so, and a rerun
 * converges from what is in Git and the cluster.
 */
class ControllerRestartTest {
    static final String KEY_ID = "APKAPLUGINRESTART001";

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    static java.util.Set<java.nio.file.Path> workingCopies() throws java.io.IOException {
        try (var entries = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("flux-codecommit-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aStepInterruptedByARestartFailsAndItsRerunConverges() throws Throwable {
        var before = workingCopies();
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        SSH.registerKey(KEY_ID, key.publicKey());
        String repo = LocalServers.unique("plugin-restart");
        SSH.createRepository(repo);
        String ns = LocalServers.unique("flux-restart");
        String script = """
                node {
                  def r = fluxCodeCommitBootstrap url: '%s', credentialsId: 'cc-ssh', path: 'clusters/prod',
                      namespace: '%s', cluster: kubeconfigCredentials(credentialsId: 'kube'), manifests: '%s',
                      knownHosts: '%s', timeout: '%s'
                  echo "outcome=${r.outcome}"
                }
                """;
        sessions.then(r -> {
            CodeCommitIdentityCredentials c =
                    new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc-ssh", null);
            c.setSshKeyId(KEY_ID);
            c.setSshPrivateKey(Secret.fromString(key.privateKeyPem().reveal()));
            LocalServers.add(c, LocalServers.kubeconfig("kube", CLUSTER.kubeconfig("test")));
            WorkflowJob job = r.createProject(WorkflowJob.class, "restart");
            // No Flux controllers run: the step waits for a sync that never comes, until the restart.
            job.setDefinition(new CpsFlowDefinition(
                    script.formatted(
                            SSH.url(KEY_ID, repo),
                            ns,
                            System.getProperty("flux.sample.manifests"),
                            SSH.knownHostsLine(),
                            "40s"),
                    true));
            WorkflowRun run = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage("Waiting for Flux to sync", run);
        });
        sessions.then(r -> {
            WorkflowJob job = r.jenkins.getItemByFullName("restart", WorkflowJob.class);
            WorkflowRun interrupted = job.getBuildByNumber(1);
            r.waitForCompletion(interrupted);
            r.assertBuildStatus(Result.FAILURE, interrupted);
            r.assertLogContains("cannot be resumed after a controller restart", interrupted);
            // Git already has both commits: the rerun commits nothing and, with Flux running, succeeds.
            String head = Clusters.head(SSH::open, repo);
            try (KubeConnection kube = CLUSTER.connect();
                    var flux = new FluxControllers(
                            kube.client(),
                            ns,
                            "main",
                            () -> Clusters.head(SSH::open, repo),
                            FluxControllers.Mode.FETCHES_WITH_SECRET)) {
                WorkflowRun rerun = r.buildAndAssertSuccess(job);
                r.assertLogContains("Component manifests are up to date", rerun);
            }
            assertThat(Clusters.head(SSH::open, repo)).isEqualTo(head);
        });
        // The interrupted run's engine thread outlives its Jenkins here (one JVM); once its wait times
        // out it removes its working copy and SSH directory, leaving nothing behind.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        while (!workingCopies().equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        assertThat(workingCopies()).as("temporary directories are removed").isEqualTo(before);
    }
}
