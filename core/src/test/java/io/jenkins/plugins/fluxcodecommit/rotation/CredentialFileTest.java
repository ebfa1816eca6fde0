package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file a new credential goes to is checked when it is named, long before the credential exists. */
class CredentialFileTest {
    @TempDir
    Path tmp;

    @Test
    void aFileInADirectoryThatDoesNotExistIsRefusedAtOnce() {
        Path missing = tmp.resolve("no-such-dir/credential.env");
        assertThatThrownBy(() -> CredentialFile.at(missing, "--write-credential"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The directory of --write-credential " + missing + " does not exist")
                .hasMessageContaining("mkdir -p " + tmp.resolve("no-such-dir"));
    }

    @Test
    void aDirectoryOrAPathUnderAFileIsRefused() throws Exception {
        assertThatThrownBy(() -> CredentialFile.at(tmp, "--write-credential"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is a directory");
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertThatThrownBy(() -> CredentialFile.at(file.resolve("credential.env"), "--write-credential"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("which is a file, not a directory");
    }

    @Test
    void aDirectoryThisProcessCannotWriteIsRefused() throws Exception {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root writes through permissions; /sys refuses even root.
            Path dir = Files.isWritable(locked) ? Path.of("/sys") : locked;
            assertThatThrownBy(() -> CredentialFile.at(dir.resolve("credential.env"), "--write-credential"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("--write-credential " + dir.resolve("credential.env") + " cannot be written")
                    .hasMessageNotContaining("Exception");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void theCredentialIsWrittenPrivatelyAndTheProbeLeavesNothingBehind() throws Exception {
        Path target = tmp.resolve("credential.env");
        CredentialFile file = CredentialFile.at(target, "--write-credential");
        try (var listing = Files.list(tmp)) {
            assertThat(listing).isEmpty();
        }
        file.accept(
                new NewCredential(CredentialKind.ACCESS_KEY, "u", "AKIANEWNEWNEWNEWNEW1", Secret.of("s3cr3t"), null));
        assertThat(Files.readString(target))
                .isEqualTo("AWS_ACCESS_KEY_ID=AKIANEWNEWNEWNEWNEW1\nAWS_SECRET_ACCESS_KEY=s3cr3t\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        try (var listing = Files.list(tmp)) {
            assertThat(listing).containsExactly(target);
        }
    }
}
