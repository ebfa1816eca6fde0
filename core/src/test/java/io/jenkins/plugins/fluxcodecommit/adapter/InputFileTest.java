package io.jenkins.plugins.fluxcodecommit.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files given as input, read as users save them, and what is said when they are not text. */
class InputFileTest {
    @TempDir
    Path tmp;

    @Test
    void aLeadingByteOrderMarkAndSurroundingWhiteSpaceAreNotPartOfTheSecret() throws Exception {
        Path file = Files.writeString(tmp.resolve("secret"), "\uFEFFs3cr3t-value\r\n");
        assertThat(new InputFile(file, "--password-file").secret().reveal()).isEqualTo("s3cr3t-value");
        assertThat(new InputFile(file, "--password-file").text()).isEqualTo("s3cr3t-value\r\n");
    }

    @Test
    void utf16TextIsNamedAsSuch() throws Exception {
        Path file = Files.write(tmp.resolve("secret"), "\uFEFFs3cr3t".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> new InputFile(file, "--password-file").secret())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The file " + file + " given as --password-file is UTF-16 text")
                .hasMessageContaining("iconv");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWithoutShowingThem() throws Exception {
        Path file = Files.write(tmp.resolve("key"), new byte[] {'s', '3', (byte) 0xC0, (byte) 0xFF});
        assertThatThrownBy(() -> new InputFile(file, "--private-key-file").text())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not text: it holds bytes that are not UTF-8")
                .hasMessageNotContainingAny("Malformed", "s3");
    }

    @Test
    void anEmptySecretFileIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "\n");
        assertThatThrownBy(() -> new InputFile(file, "--session-token-file").secret())
                .hasMessageContaining("given as --session-token-file is empty");
    }

    @Test
    void aRelativePathThatDoesNotExistSaysWhereItWasLookedFor() {
        assertThatThrownBy(() -> new InputFile(Path.of("no-such-file"), "--known-hosts-file").text())
                .hasMessageContaining("The file no-such-file given as --known-hosts-file does not exist (looked for ")
                .hasMessageContaining(Path.of("no-such-file").toAbsolutePath().toString());
    }

    @Test
    void aFileLargerThanAnyKeyIsRefusedUnread() throws Exception {
        Path file = Files.write(tmp.resolve("big"), new byte[2 * 1024 * 1024]);
        assertThatThrownBy(() -> new InputFile(file, "--private-key-file").text())
                .hasMessageContaining("is larger than 1024 KiB");
    }
}
