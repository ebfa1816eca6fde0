package io.jenkins.plugins.fluxcodecommit.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static final String URL = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet";

    @Test
    void aBootstrapThatPushedAndAppliedIsChanged() throws Exception {
        BootstrapResult result = new BootstrapResult(
                URL,
                "main",
                "main@sha1:bbb",
                List.of("aaa", "bbb"),
                true,
                List.of("Namespace//flux-system created", "Deployment/flux-system/source-controller unchanged"),
                "created",
                true,
                false,
                null,
                Duration.ofMillis(812));
        Map<String, Object> m = Reports.map(result);
        assertThat(m)
                .containsEntry("commit", "bbb")
                .containsEntry("commits", List.of("aaa", "bbb"))
                .containsEntry("changed", 1)
                .containsEntry("outcome", "CHANGED")
                .containsEntry("noOp", false)
                .containsEntry("revision", "main@sha1:bbb")
                .containsEntry("millis", 812L);
        // A Pipeline keeps the return value in its program state: it must serialize as plain data.
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject((Serializable) m);
        assertThat(Reports.lines(result))
                .contains("  commit:    bbb", "  objects:   2 applied, 1 changed (components installed)");
    }

    @Test
    void aRerunThatChangedNothingIsUnchangedAndExportIsExported() {
        BootstrapResult same = new BootstrapResult(
                URL,
                "main",
                "main@sha1:bbb",
                List.of(),
                false,
                List.of("Namespace//flux-system unchanged"),
                "unchanged",
                true,
                false,
                null,
                Duration.ofMillis(250));
        assertThat(Reports.map(same)).containsEntry("outcome", "UNCHANGED").containsEntry("commit", null);
        assertThat(Reports.lines(same)).contains("  commits:   none (the repository was up to date)");
        BootstrapResult export = new BootstrapResult(
                URL,
                "main",
                null,
                List.of("ccc"),
                true,
                List.of("Namespace//flux-system planned"),
                "planned",
                false,
                true,
                "/tmp/out",
                Duration.ofMillis(1));
        assertThat(Reports.map(export))
                .containsEntry("outcome", "EXPORTED")
                .containsEntry("exportDirectory", "/tmp/out");
        assertThat(Reports.lines(export)).contains("    Namespace//flux-system");
    }

    @Test
    void rotationResults() {
        RotationResult r = new RotationResult(
                "prod-eu",
                CredentialKind.SSH_KEY,
                "APKAOLD0000000000000",
                "APKANEW0000000000000",
                RotationResult.Outcome.ROTATED,
                null,
                Duration.ofSeconds(3),
                5);
        assertThat(Reports.map(r))
                .containsEntry("kind", "ssh-key")
                .containsEntry("oldId", "APKAOLD0000000000000")
                .containsEntry("newId", "APKANEW0000000000000")
                .containsEntry("outcome", "ROTATED")
                .containsEntry("rotated", true)
                .containsEntry("iamCalls", 5);
        assertThat(Reports.line(r))
                .isEqualTo(
                        "prod-eu: ssh-key ROTATED APKAOLD0000000000000 -> APKANEW0000000000000 in 3000 ms, 5 IAM calls");
        RotationResult notDue = new RotationResult(
                "prod-us",
                CredentialKind.ACCESS_KEY,
                "AKIAOLD",
                null,
                RotationResult.Outcome.NOT_DUE,
                "12 days old",
                Duration.ofMillis(40),
                1);
        assertThat(Reports.map(notDue)).containsEntry("rotated", false).containsEntry("newId", null);
        assertThat(Reports.line(notDue)).contains("NOT_DUE AKIAOLD -> (none) (12 days old)");
    }
}
