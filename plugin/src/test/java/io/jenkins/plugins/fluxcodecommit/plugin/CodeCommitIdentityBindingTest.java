package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.FilePath;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** withCredentials([codeCommitIdentity(...)]) on an agent: values bound, secrets masked, key file removed. */
@WithJenkins
class CodeCommitIdentityBindingTest {
    static final String SECRET_KEY = "canary-binding-secret-key-0042";
    static final String GIT_PASSWORD = "canary-binding-git-password-0042";

    @TempDir
    Path tmp;

    @Test
    void bindsEachHalfMasksTheSecretsAndRemovesTheKeyFile(JenkinsRule r) throws Exception {
        DumbSlave agent = LocalServers.agent(r, tmp);
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        CodeCommitIdentityCredentials c = new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc", null);
        c.setAccessKeyId("AKIAIOSFODNN7EXAMPLE");
        c.setSecretAccessKey(Secret.fromString(SECRET_KEY));
        c.setRegion("eu-west-1");
        c.setSshKeyId("APKAEIBAERJR2EXAMPLE");
        c.setSshPrivateKey(Secret.fromString(key.privateKeyPem().reveal()));
        c.setGitUsername("flux-at-123456789012");
        c.setGitPassword(Secret.fromString(GIT_PASSWORD));
        LocalServers.add(c);
        WorkflowJob job = r.createProject(WorkflowJob.class, "binding");
        job.setDefinition(new CpsFlowDefinition("""
                node('agent') {
                  withCredentials([codeCommitIdentity(credentialsId: 'cc', sshKeyFileVariable: 'KEY',
                      sshKeyIdVariable: 'KEY_ID', gitUsernameVariable: 'GIT_USER', gitPasswordVariable: 'GIT_PASS')]) {
                    sh '''
                      echo "id=$AWS_ACCESS_KEY_ID region=$AWS_REGION keyid=$KEY_ID"
                      echo "secret=$AWS_SECRET_ACCESS_KEY git=$GIT_PASS"
                      grep -q BEGIN "$KEY" && echo key-file-ok
                      echo "$KEY" > keypath.txt
                    '''
                  }
                  echo "left=${fileExists(readFile('keypath.txt').trim())}"
                }
                """, true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("region=eu-west-1 keyid=APKAEIBAERJR2EXAMPLE", run);
        r.assertLogContains("secret=**** git=****", run);
        r.assertLogContains("key-file-ok", run);
        r.assertLogContains("left=false", run);
        r.assertLogNotContains(key.publicKeyOpenSsh().split(" ")[1], run);
        r.assertLogNotContains(SECRET_KEY, run);
        r.assertLogNotContains(GIT_PASSWORD, run);
        LocalServers.assertNoSecretInBuildFiles(run, List.of(SECRET_KEY, GIT_PASSWORD, "PRIVATE KEY"));
        FilePath workspace = agent.getWorkspaceFor(job);
        assertThat(workspace.child("keypath.txt").exists()).isTrue();
    }

    @Test
    void theKeyFileIsOneOpenSshAcceptsWithItsPassphrase(JenkinsRule r) throws Exception {
        DumbSlave agent = LocalServers.agent(r, tmp);
        SshKeyPair key = SshKeyPair.generateRsa(2048);
        String passphrase = "canary-binding-passphrase-0042";
        CodeCommitIdentityCredentials c = new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, "cc-ssh", null);
        c.setSshKeyId("APKAEIBAERJR2EXAMPLE");
        // Stored as a form's textarea often holds it: without the final newline OpenSSH requires.
        c.setSshPrivateKey(
                Secret.fromString(key.privateKeyPem(io.jenkins.plugins.fluxcodecommit.secret.Secret.of(passphrase))
                        .reveal()
                        .stripTrailing()));
        c.setSshPassphrase(Secret.fromString(passphrase));
        LocalServers.add(c);
        WorkflowJob job = r.createProject(WorkflowJob.class, "binding-ssh-keygen");
        job.setDefinition(new CpsFlowDefinition("""
                node('agent') {
                  withCredentials([codeCommitIdentity(credentialsId: 'cc-ssh', sshKeyFileVariable: 'KEY',
                      sshKeyIdVariable: 'KEY_ID', sshPassphraseVariable: 'PASS')]) {
                    sh 'ssh-keygen -y -P "$PASS" -f "$KEY" > public.txt && echo "passphrase=$PASS"'
                  }
                }
                """, true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("passphrase=****", run);
        r.assertLogNotContains(passphrase, run);
        String derived =
                agent.getWorkspaceFor(job).child("public.txt").readToString().trim();
        assertThat(derived.split(" ")[1]).isEqualTo(key.publicKeyOpenSsh().split(" ")[1]);
    }
}
