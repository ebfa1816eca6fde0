package io.jenkins.plugins.fluxcodecommit.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SshNoDelayTest {
    private String before;

    @BeforeEach
    void save() {
        before = System.getProperty(SshNoDelay.PROPERTY);
        System.clearProperty(SshNoDelay.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(SshNoDelay.PROPERTY);
        } else {
            System.setProperty(SshNoDelay.PROPERTY, before);
        }
    }

    @Test
    void aMinaClientBuiltAfterwardsTurnsNagleOff() {
        assertThat(CoreModuleProperties.TCP_NODELAY.getRequired(SshClient.setUpDefaultClient()))
                .isFalse();
        SshNoDelay.defaultForThisProcess();
        assertThat(CoreModuleProperties.TCP_NODELAY.getRequired(SshClient.setUpDefaultClient()))
                .isTrue();
    }

    @Test
    void aValueTheUserSetIsKept() {
        System.setProperty(SshNoDelay.PROPERTY, "false");
        SshNoDelay.defaultForThisProcess();
        assertThat(CoreModuleProperties.TCP_NODELAY.getRequired(SshClient.setUpDefaultClient()))
                .isFalse();
    }
}
