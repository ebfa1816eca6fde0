package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import java.net.URISyntaxException;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;

class BoundCredentialsProviderTest {
    private final BoundCredentialsProvider bound = new BoundCredentialsProvider(
            CodeCommitUrl.parse("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet"),
            new UsernamePasswordCredentialsProvider("AKIA%token", "password"));

    private boolean answers(String uri) throws URISyntaxException {
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password password = new CredentialItem.Password();
        return bound.get(new URIish(uri), user, password) && user.getValue() != null;
    }

    @Test
    void answersTheRepositoryItself() throws URISyntaxException {
        assertThat(answers("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet"))
                .isTrue();
        assertThat(answers("https://git-codecommit.us-east-1.amazonaws.com:443/v1/repos/fleet/info/refs"))
                .isTrue();
    }

    @Test
    void refusesOtherHostsSchemesPortsAndRepositories() throws URISyntaxException {
        assertThat(answers("https://evil.example/v1/repos/fleet")).isFalse();
        assertThat(answers("http://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet"))
                .isFalse();
        assertThat(answers("https://git-codecommit.us-east-1.amazonaws.com:8443/v1/repos/fleet"))
                .isFalse();
        assertThat(answers("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet-other"))
                .isFalse();
    }
}
