package io.jenkins.plugins.fluxcodecommit.adapter;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file a user names as input (a secret key, a password, a passphrase, a private key,
 * known_hosts): read as UTF-8 text with a leading byte-order mark dropped, as editors on Windows
 * write one. What can be wrong with the file (missing, a directory, unreadable, binary) is said in
 * words that name the file and the option it was given as, never its content: it may be a secret.
 *
 * @param path the file as the user gave it
 * @param option how the user gave it, such as {@code --password-file}, for messages
 */
public record InputFile(Path path, String option) {
    private static final char BOM = '\uFEFF';
    // Far more than any key or known_hosts; stops a device or a wrong path from being read whole.
    private static final int MAX_BYTES = 1024 * 1024;

    /** The file's text, unchanged but for a leading byte-order mark. */
    public String text() {
        byte[] bytes = bytes();
        if (bytes.length >= 2
                && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                        || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new InvalidInputException(
                    describe() + " is UTF-16 text (as Windows PowerShell and Notepad may save it); UTF-8 is expected.",
                    "Save the file as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(
                    describe() + " is not text: it holds bytes that are not UTF-8 (a binary file, or text in"
                            + " another encoding).",
                    "Give a text file holding only the value, saved as UTF-8; a key in binary (DER) form converts"
                            + " with `openssl pkey -inform DER -in FILE -out key.pem`.");
        }
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /** The file's text without surrounding white space (a trailing newline most often): one value. */
    public Secret secret() {
        String value = text().strip();
        if (value.isEmpty()) {
            throw new InvalidInputException(
                    describe() + " is empty.", "Write the value into the file, or give the file that holds it.");
        }
        return Secret.of(value);
    }

    private byte[] bytes() {
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(
                    describe() + " is a directory; a file is expected.",
                    "Give the path of the file itself, not of the directory holding it.");
        }
        if (!Files.exists(path)) {
            Path absolute = path.toAbsolutePath();
            throw new InvalidInputException(
                    describe() + " does not exist" + (path.isAbsolute() ? "" : " (looked for " + absolute + ")") + ".",
                    "Check the path and its spelling.");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new InvalidInputException(
                        describe() + " is larger than " + MAX_BYTES / 1024 + " KiB: not a key, secret or known_hosts.",
                        "Give the file that holds only the value.");
            }
            return bytes;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidInputException(
                    describe() + " cannot be read: permission denied.",
                    "Let the user that runs this read the file (chmod, chown), or run as its owner.");
        } catch (FileSystemException e) {
            throw new InvalidInputException(
                    describe() + " cannot be read" + (e.getReason() == null ? "" : ": " + e.getReason()) + ".",
                    "Check the path and that this user may read it.");
        } catch (IOException e) {
            throw new InvalidInputException(
                    describe() + " cannot be read (an input/output error).",
                    "Check the path and that this user may read it.");
        }
    }

    private String describe() {
        return "The file " + path + (option == null ? "" : " given as " + option);
    }
}
