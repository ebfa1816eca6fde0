package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.CodeCommitIdentityCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The credential type under JCasC, by its symbol: imported as written, exported without a secret in clear. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {
    @Test
    @ConfiguredWithCode("casc.yaml")
    void theSymbolConfiguresEveryField(JenkinsConfiguredWithCodeRule r) throws Exception {
        CodeCommitIdentityCredentials c = (CodeCommitIdentityCredentials)
                SystemCredentialsProvider.getInstance().getCredentials().get(0);
        assertThat(c.getId()).isEqualTo("prod-eu-codecommit");
        assertThat(c.getScope()).isEqualTo(CredentialsScope.GLOBAL);
        assertThat(c.getIamUser()).isEqualTo("flux-prod-eu");
        assertThat(c.getAccessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(c.getSecretAccessKey().getPlainText()).isEqualTo("canary-casc-secret-key-0042");
        assertThat(c.getRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/flux-bootstrap");
        assertThat(c.getRegion()).isEqualTo("eu-west-1");
        assertThat(c.getSshKeyId()).isEqualTo("APKAEIBAERJR2EXAMPLE");
        assertThat(c.getGitPassword().getPlainText()).isEqualTo("canary-casc-git-password-0042");
        assertThat(c.isRotationWriteBack()).isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(out);
        String exported = out.toString(StandardCharsets.UTF_8);
        assertThat(exported)
                .contains("codeCommitIdentity")
                .contains("AKIAIOSFODNN7EXAMPLE")
                .doesNotContain("canary-casc-secret-key-0042")
                .doesNotContain("canary-casc-git-password-0042");
    }
}
