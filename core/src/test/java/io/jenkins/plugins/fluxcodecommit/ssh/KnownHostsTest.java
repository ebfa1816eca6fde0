package io.jenkins.plugins.fluxcodecommit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KnownHostsTest {
    private static SshKeyPair a;
    private static SshKeyPair b;

    @BeforeAll
    static void keys() {
        a = SshKeyPair.generateRsa(2048);
        b = SshKeyPair.generateRsa(2048);
    }

    @Test
    void matchesHostOnDefaultAndExplicitPorts() {
        KnownHosts known = KnownHosts.parse(
                "git.example " + a.publicKeyOpenSsh() + "\n[git.example]:2222 " + b.publicKeyOpenSsh());
        assertThat(known.keysFor("git.example", -1)).hasSize(1);
        assertThat(known.keysFor("git.example", 22).get(0)).isEqualTo(a.publicKey());
        assertThat(known.keysFor("git.example", 2222).get(0)).isEqualTo(b.publicKey());
        assertThat(known.keysFor("other.example", 22)).isEmpty();
    }

    @Test
    void revokedKeysAreNeverAccepted() {
        KnownHosts known = KnownHosts.parse(
                "git.example " + a.publicKeyOpenSsh() + "\n@revoked git.example " + a.publicKeyOpenSsh());
        assertThat(known.keysFor("git.example", 22)).isEmpty();
    }

    @Test
    void certificateAuthorityLinesAreNotHostKeys() {
        KnownHosts known = KnownHosts.parse("@cert-authority git.example " + a.publicKeyOpenSsh());
        assertThat(known.keysFor("git.example", 22)).isEmpty();
    }

    @Test
    void unreadableKeyIsAnInputError() {
        assertThatThrownBy(() -> KnownHosts.parse("git.example ssh-rsa AAAAnotbase64!!"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void hostTokenUsesBracketsForOtherPorts() {
        assertThat(KnownHosts.hostToken("h", 22)).isEqualTo("h");
        assertThat(KnownHosts.hostToken("h", 2222)).isEqualTo("[h]:2222");
    }
}
