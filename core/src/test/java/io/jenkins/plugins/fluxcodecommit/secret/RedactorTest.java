package io.jenkins.plugins.fluxcodecommit.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void redactsRawAndUrlEncodedForms() {
        Redactor redactor = Redactor.of(Secret.of("tok/en+with=chars"));
        assertThat(redactor.redact("user AKIA%tok/en+with=chars")).isEqualTo("user AKIA%****");
        assertThat(redactor.redact("https://AKIA%25tok%2Fen%2Bwith%3Dchars@host"))
                .isEqualTo("https://AKIA%25****@host");
    }

    @Test
    void redactsEachBodyLineOfAPemBlock() {
        String line = "MIIEowIBAAKCAQEAzR1aBcdefGhijkLmnopQrstuVwxyz0123456789ABCDEFGH";
        Redactor redactor = Redactor.of(
                Secret.of("-----BEGIN RSA PRIVATE KEY-----\n" + line + "\n-----END RSA PRIVATE KEY-----\n"));
        assertThat(redactor.redact("bad line: " + line)).isEqualTo("bad line: ****");
    }

    @Test
    void ignoresSecretsTooShortToRedactSafely() {
        assertThat(Redactor.of(Secret.of("ab"), null).redact("abc")).isEqualTo("abc");
    }

    @Test
    void learnsSecretsMadeDuringAnOperation() {
        Redactor redactor = new Redactor();
        assertThat(redactor.redact("pw 20240101T000000Zdeadbeef")).contains("deadbeef");
        redactor.add(Secret.of("20240101T000000Zdeadbeef"));
        assertThat(redactor.redact("pw 20240101T000000Zdeadbeef")).isEqualTo("pw ****");
    }

    @Test
    void secretNeverShowsThroughToString() {
        assertThat(Secret.of("hunter2hunter2").toString()).isEqualTo("****");
        assertThat(new Object[] {Secret.of("hunter2hunter2")}).asString().doesNotContain("hunter2");
    }
}
