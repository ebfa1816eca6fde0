package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlDivision;
import org.htmlunit.html.HtmlElementUtil;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlRadioButtonInput;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The credential type through the real credentials UI: the dialogs a user clicks through. */
@WithJenkins
class CredentialsUiTest {
    static final String SECRET_KEY = "canary-ui-secret-key-wJalrXUtnFEMI0042";
    static final String GIT_PASSWORD = "canary-ui-git-password-0042";

    static HtmlForm openAddDialog(JenkinsRule.WebClient wc) throws Exception {
        HtmlPage page = wc.goTo("credentials/store/system/domain/_/");
        HtmlElementUtil.click(page.querySelector("button[data-type='credentials-add-store-item']"));
        HtmlForm chooser = page.getFormByName("dialog");
        String name = Jenkins.get()
                .getDescriptorByType(CodeCommitIdentityCredentials.DescriptorImpl.class)
                .getDisplayName();
        boolean found = false;
        for (DomNode option : chooser.querySelectorAll(".jenkins-choice-list__item")) {
            if (option instanceof HtmlDivision div && div.getVisibleText().contains(name)) {
                HtmlRadioButtonInput radio = div.querySelector("input");
                HtmlElementUtil.click(radio);
                found = true;
            }
        }
        assertThat(found).as("'%s' is offered in the add dialog", name).isTrue();
        HtmlElementUtil.click(page.querySelector("#cr-dialog-next"));
        wc.waitForBackgroundJavaScript(2000);
        return page.querySelector("#credentials-dialog-form");
    }

    static void set(HtmlForm form, String field, String value) {
        DomNode node = form.querySelector("[name='_." + field + "']");
        if (node instanceof HtmlTextArea area) {
            area.setText(value);
        } else {
            ((HtmlInput) node).setValue(value);
        }
    }

    static void submit(HtmlForm form, JenkinsRule.WebClient wc) throws Exception {
        HtmlButton submit = ((HtmlPage) form.getPage()).querySelector("#cr-dialog-submit");
        HtmlElementUtil.click(submit);
        wc.waitForBackgroundJavaScript(2000);
    }

    static List<CodeCommitIdentityCredentials> stored() {
        return SystemCredentialsProvider.getInstance().getCredentials().stream()
                .filter(CodeCommitIdentityCredentials.class::isInstance)
                .map(CodeCommitIdentityCredentials.class::cast)
                .toList();
    }

    @Test
    void aUserCreatesTheCredentialInTheAddDialog(JenkinsRule r) throws Exception {
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            HtmlForm form = openAddDialog(wc);
            set(form, "id", "prod-eu");
            set(form, "iamUser", "flux-prod-eu");
            set(form, "accessKeyId", "AKIAIOSFODNN7EXAMPLE");
            set(form, "secretAccessKey", SECRET_KEY);
            set(form, "region", "eu-west-1");
            set(form, "gitUsername", "flux-prod-eu-at-123456789012");
            set(form, "gitPassword", GIT_PASSWORD);
            submit(form, wc);
        }
        assertThat(stored()).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo("prod-eu");
            assertThat(c.getIamUser()).isEqualTo("flux-prod-eu");
            assertThat(c.getAccessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
            assertThat(c.getSecretAccessKey().getPlainText()).isEqualTo(SECRET_KEY);
            assertThat(c.getGitPassword().getPlainText()).isEqualTo(GIT_PASSWORD);
        });
    }

    @Test
    void theUpdateDialogShowsNoSecretAndAnEditKeepsTheUntouchedOnes(JenkinsRule r) throws Exception {
        CodeCommitIdentityCredentials before = CodeCommitIdentityCredentialsTest.full("cc");
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(), before);
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            HtmlPage page = wc.goTo("credentials/store/system/domain/_/credential/cc");
            HtmlElementUtil.click(page.querySelector("button[data-type='credentials-update']"));
            wc.waitForBackgroundJavaScript(2000);
            HtmlForm form = page.querySelector("#credentials-dialog-form");
            assertThat(form.asXml())
                    .contains("AKIAIOSFODNN7EXAMPLE")
                    .doesNotContain(CodeCommitIdentityCredentialsTest.SECRET_KEY)
                    .doesNotContain(CodeCommitIdentityCredentialsTest.PASSPHRASE)
                    .doesNotContain(CodeCommitIdentityCredentialsTest.GIT_PASSWORD)
                    .doesNotContain("PRIVATE KEY");
            set(form, "description", "fleet, edited");
            submit(form, wc);
        }
        CodeCommitIdentityCredentials after = stored().get(0);
        assertThat(after.getDescription()).isEqualTo("fleet, edited");
        assertThat(after.getSecretAccessKey().getPlainText()).isEqualTo(CodeCommitIdentityCredentialsTest.SECRET_KEY);
        assertThat(after.getSshPrivateKey().getPlainText())
                .isEqualTo(before.getSshPrivateKey().getPlainText());
        assertThat(after.getSshPassphrase().getPlainText()).isEqualTo(CodeCommitIdentityCredentialsTest.PASSPHRASE);
        assertThat(after.getGitPassword().getPlainText()).isEqualTo(CodeCommitIdentityCredentialsTest.GIT_PASSWORD);
    }

    @Test
    void formChecksAnswerInTheDialogOnlyWhoMayCreateCredentials(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ)
                .everywhere()
                .to("reader"));
        try (JenkinsRule.WebClient wc = r.createWebClient().login("admin")) {
            HtmlForm form = openAddDialog(wc);
            HtmlInput keyId = form.querySelector("[name='_.sshKeyId']");
            keyId.type("flux-bot");
            keyId.fireEvent("change");
            wc.waitForBackgroundJavaScript(3000);
            assertThat(form.asNormalizedText()).contains("APKA");
        }
        // The same check asked directly by a user who may not create credentials answers nothing.
        String check =
                "descriptorByName/" + CodeCommitIdentityCredentials.class.getName() + "/checkSshKeyId?value=flux-bot";
        try (JenkinsRule.WebClient wc = r.createWebClient().login("reader")) {
            org.htmlunit.WebRequest post =
                    new org.htmlunit.WebRequest(new java.net.URL(r.getURL(), check), org.htmlunit.HttpMethod.POST);
            wc.addCrumb(post);
            String answer = wc.getPage(post).getWebResponse().getContentAsString();
            assertThat(answer).doesNotContain("APKA");
        }
        try (JenkinsRule.WebClient wc = r.createWebClient().login("admin")) {
            org.htmlunit.WebRequest post =
                    new org.htmlunit.WebRequest(new java.net.URL(r.getURL(), check), org.htmlunit.HttpMethod.POST);
            wc.addCrumb(post);
            assertThat(wc.getPage(post).getWebResponse().getContentAsString()).contains("APKA");
        }
    }

    @Test
    void aSecretInTheFormIsNeverDecryptedForAnotherCredential(JenkinsRule r) throws Exception {
        var d = r.jenkins.getDescriptorByType(CodeCommitIdentityCredentials.DescriptorImpl.class);
        // In clear, this value is judged: it is a key ID where the secret belongs.
        String value = "AKIAIOSFODNN7EXAMPLE";
        assertThat(d.doCheckSecretAccessKey(null, value, "AKIAIOSFODNN7EXAMPLE").kind)
                .isEqualTo(hudson.util.FormValidation.Kind.ERROR);
        // The same value as another credential's encrypted secret (as any job or credential page
        // shows it) gets no answer: the check does not decrypt it to judge it.
        String foreign = Secret.fromString(value).getEncryptedValue();
        assertThat(d.doCheckSecretAccessKey(null, foreign, "AKIAIOSFODNN7EXAMPLE").kind)
                .isEqualTo(hudson.util.FormValidation.Kind.OK);
    }
}
