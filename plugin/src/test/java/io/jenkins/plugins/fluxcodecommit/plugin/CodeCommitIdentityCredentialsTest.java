package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class CodeCommitIdentityCredentialsTest {
    static final String SECRET_KEY = "canary-secret-key-wJalrXUtnFEMI-K7MDENG";
    static final String PASSPHRASE = "canary-passphrase-0042";
    static final String GIT_PASSWORD = "canary-git-password-0042";

    static CodeCommitIdentityCredentials full(String id) {
        CodeCommitIdentityCredentials c = new CodeCommitIdentityCredentials(CredentialsScope.GLOBAL, id, "fleet");
        c.setIamUser("flux-bot");
        c.setAccessKeyId("AKIAIOSFODNN7EXAMPLE");
        c.setSecretAccessKey(Secret.fromString(SECRET_KEY));
        c.setRoleArn("arn:aws:iam::123456789012:role/flux");
        c.setRegion("eu-west-1");
        c.setSshKeyId("APKAEIBAERJR2EXAMPLE");
        c.setSshPrivateKey(Secret.fromString(SshKeyPair.generateRsa(2048)
                .privateKeyPem(io.jenkins.plugins.fluxcodecommit.secret.Secret.of(PASSPHRASE))
                .reveal()));
        c.setSshPassphrase(Secret.fromString(PASSPHRASE));
        c.setGitUsername("flux-bot-at-123456789012");
        c.setGitPassword(Secret.fromString(GIT_PASSWORD));
        c.setRotationWriteBack(true);
        return c;
    }

    static CredentialsStore systemStore() {
        return CredentialsProvider.lookupStores(Jenkins.get()).iterator().next();
    }

    @Test
    void secretsAreStoredEncrypted(JenkinsRule r) throws Exception {
        systemStore().addCredentials(Domain.global(), full("cc"));
        String xml =
                Files.readString(r.jenkins.getRootDir().toPath().resolve("credentials.xml"), StandardCharsets.UTF_8);
        assertThat(xml)
                .contains("AKIAIOSFODNN7EXAMPLE")
                .doesNotContain(SECRET_KEY)
                .doesNotContain(PASSPHRASE)
                .doesNotContain(GIT_PASSWORD)
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void theFormRefusesACredentialWithNoHalfAndStoresNothing(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        String type = CodeCommitIdentityCredentials.class.getName();
        WebRequest post = new WebRequest(
                new URL(r.getURL(), "credentials/store/system/domain/_/createCredentials"), HttpMethod.POST);
        post.setRequestParameters(List.of(new NameValuePair(
                "json",
                "{\"credentials\":{\"stapler-class\":\"" + type + "\",\"$class\":\"" + type
                        + "\",\"scope\":\"GLOBAL\",\"id\":\"empty\",\"sshKeyId\":\"APKAEIBAERJR2EXAMPLE\"}}")));
        wc.addCrumb(post);
        Page answer = wc.getPage(post);
        assertThat(answer.getWebResponse().getStatusCode()).isEqualTo(400);
        assertThat(answer.getWebResponse().getContentAsString()).contains("Give at least one of");
        assertThat(SystemCredentialsProvider.getInstance().getCredentials()).isEmpty();

        // The credentials dialog asks for JSON and shows the message it gets.
        post.setAdditionalHeader("Accept", "application/json");
        wc.addCrumb(post);
        Page dialogAnswer = wc.getPage(post);
        assertThat(dialogAnswer.getWebResponse().getStatusCode()).isEqualTo(400);
        assertThat(dialogAnswer.getWebResponse().getContentAsString())
                .contains("Give at least one of")
                .contains("\"notificationType\":\"ERROR\"");
        assertThat(SystemCredentialsProvider.getInstance().getCredentials()).isEmpty();
    }

    @Test
    void theListNameShowsIdsNeverSecrets(JenkinsRule r) {
        String name = com.cloudbees.plugins.credentials.CredentialsNameProvider.name(full("cc"));
        assertThat(name).contains("flux-bot", "AKIAIOSFODNN7EXAMPLE", "APKAEIBAERJR2EXAMPLE");
        assertThat(name).doesNotContain(SECRET_KEY).doesNotContain(GIT_PASSWORD);
    }

    @Test
    void formChecksAnswerOnlyWhoMayCreateCredentials(JenkinsRule r) {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("reader"));
        CodeCommitIdentityCredentials.DescriptorImpl d =
                r.jenkins.getDescriptorByType(CodeCommitIdentityCredentials.DescriptorImpl.class);
        try (ACLContext ignored =
                ACL.as2(hudson.model.User.getById("reader", true).impersonate2())) {
            assertThat(d.doCheckSshKeyId(null, "flux-bot").kind).isEqualTo(FormValidation.Kind.OK);
        }
        try (ACLContext ignored =
                ACL.as2(hudson.model.User.getById("admin", true).impersonate2())) {
            FormValidation check = d.doCheckSshKeyId(null, "flux-bot");
            assertThat(check.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(check.getMessage()).contains("APKA");
            FormValidation swapped = d.doCheckAccessKeyId(null, SECRET_KEY);
            assertThat(swapped.kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(swapped.getMessage()).doesNotContain(SECRET_KEY);
        }
    }
}
