package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.net.Proxy;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentProxyTest {
    private static final String CODECOMMIT = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r";

    @Test
    void noProxyVariableMeansNoProxy() {
        assertThat(EnvironmentProxy.from(Map.of("HTTP_PROXY", "http://p:1"))).isEmpty();
    }

    @Test
    void httpsProxyCarriesCodeCommitTrafficAndLowerCaseIsReadToo() throws Exception {
        Proxy proxy = EnvironmentProxy.from(Map.of("https_proxy", "http://proxy.corp:3128"))
                .orElseThrow()
                .forUrl(new URL(CODECOMMIT));
        assertThat(proxy.type()).isEqualTo(Proxy.Type.HTTP);
        assertThat(proxy.address().toString()).contains("proxy.corp").contains("3128");
    }

    @Test
    void noProxyExemptsHostsDomainsAndLoopbackAsGoDoes() throws Exception {
        EnvironmentProxy p = EnvironmentProxy.from(
                        Map.of("HTTPS_PROXY", "proxy.corp:3128", "NO_PROXY", "internal.corp, .amazonaws.com"))
                .orElseThrow();
        assertThat(p.forUrl(new URL(CODECOMMIT))).isEqualTo(Proxy.NO_PROXY);
        assertThat(p.forUrl(new URL("https://git.internal.corp/x"))).isEqualTo(Proxy.NO_PROXY);
        assertThat(p.forUrl(new URL("https://internal.corp/x"))).isEqualTo(Proxy.NO_PROXY);
        assertThat(p.forUrl(new URL("https://127.0.0.1:8443/x"))).isEqualTo(Proxy.NO_PROXY);
        assertThat(p.forUrl(new URL("https://notinternal.corp/x"))).isNotEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void aProxyWithCredentialsOrAnotherSchemeIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> EnvironmentProxy.from(Map.of("HTTPS_PROXY", "http://me:CANARY-PW@proxy:3128")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("****@proxy")
                .hasMessageNotContaining("CANARY-PW");
        assertThatThrownBy(() -> EnvironmentProxy.from(Map.of("HTTPS_PROXY", "me:CANARY-PW@proxy:3128")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("****@proxy")
                .hasMessageNotContaining("CANARY-PW");
        assertThatThrownBy(() -> EnvironmentProxy.from(Map.of("HTTPS_PROXY", "socks5://proxy:1080")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("socks5://proxy:1080");
    }
}
