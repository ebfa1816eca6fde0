package io.jenkins.plugins.fluxcodecommit.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingCopiesTest {
    @TempDir
    Path root;

    @Test
    void aDirectoryIsMadeUnderTheEnvironmentsTmpdirNamedForItsKindHostAndProcess() {
        Path dir = WorkingCopies.create(Map.of("TMPDIR", root.toString()), "ssh");
        assertThat(dir.getParent()).isEqualTo(root);
        assertThat(dir.getFileName().toString())
                .startsWith("flux-codecommit-ssh-" + WorkingCopies.HOST + "-"
                        + ProcessHandle.current().pid() + "-");
    }

    @Test
    void theSweepRemovesWhatAKilledProcessLeftAndKeepsTheLivingsOtherHostsAndExports() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.createDirectories(
                root.resolve("flux-codecommit-bootstrap-" + WorkingCopies.HOST + "-" + gone.pid() + "-1"));
        Files.writeString(dead.resolve("identity"), "a key a killed run left");
        Path alive = Files.createDirectories(root.resolve("flux-codecommit-ssh-" + WorkingCopies.HOST + "-"
                + ProcessHandle.current().pid() + "-2"));
        String otherHost = WorkingCopies.HOST.equals("00000000") ? "00000001" : "00000000";
        Path elsewhere = Files.createDirectories(
                root.resolve("flux-codecommit-rotation-" + otherHost + "-" + gone.pid() + "-3"));
        Path export = Files.createDirectories(root.resolve("flux-codecommit-export123"));

        WorkingCopies.sweep(root);

        assertThat(dead).doesNotExist();
        assertThat(alive).isDirectory();
        assertThat(elsewhere).isDirectory();
        assertThat(export).isDirectory();
    }
}
