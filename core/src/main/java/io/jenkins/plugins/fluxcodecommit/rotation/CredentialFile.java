package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A local file that receives the new credential (mode 600, replaced atomically), for a caller's own
 * store. The path is checked when this is made, before any change: a rotation must not find out
 * that it cannot write the file after the cluster already holds the new credential.
 */
public final class CredentialFile implements CredentialSink {
    private final Path path;
    private final String option;

    private CredentialFile(Path path, String option) {
        this.path = path;
        this.option = option;
    }

    /**
     * A credential file at {@code path}, which must name a file (new or to be replaced) in an
     * existing directory this process can write; {@code option} names it in messages.
     */
    public static CredentialFile at(Path path, String option) {
        Path file = path.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(
                    option + " " + path + " is a directory.",
                    "Give the path of a file to write, e.g. " + path.resolve("credential.env") + ".");
        }
        Path dir = file.getParent();
        if (dir == null || !Files.exists(dir)) {
            throw new InvalidInputException(
                    "The directory of " + option + " " + path + " does not exist: " + dir + ".",
                    "Create it first (mkdir -p " + dir + ") or give a path in an existing directory.");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(
                    option + " " + path + " is under " + dir + ", which is a file, not a directory.",
                    "Give a path in a directory.");
        }
        probe(dir, path, option);
        return new CredentialFile(file, option);
    }

    /** Writes a file where the credential will go and removes it: proves the directory takes it. */
    private static void probe(Path dir, Path path, String option) {
        try {
            Path probe = Files.createTempFile(dir, ".credential", ".probe", privateFile());
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException(
                    option + " " + path + " cannot be written: " + reason(e, dir) + ".",
                    "Give a path in a directory you can write, or fix the permissions of " + dir + ".");
        }
    }

    private static String reason(Exception e, Path dir) {
        if (e instanceof AccessDeniedException) {
            return "permission to write in " + dir + " is denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? "the file system refused" : e.getMessage();
    }

    private static FileAttribute<Set<PosixFilePermission>> privateFile() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    /** What the file holds: {@code KEY=VALUE} lines for an access key, the PEM for an SSH key, the password. */
    static String content(NewCredential c) {
        return c.kind() == CredentialKind.ACCESS_KEY
                ? "AWS_ACCESS_KEY_ID=" + c.id() + "\nAWS_SECRET_ACCESS_KEY="
                        + c.secret().reveal() + "\n"
                : c.secret().reveal();
    }

    @Override
    public String store() {
        return "the file " + path;
    }

    @Override
    public void accept(NewCredential credential) {
        try {
            Path temp = Files.createTempFile(path.getParent(), ".credential", ".tmp", privateFile());
            try {
                Files.writeString(temp, content(credential));
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "Cannot write " + option + " " + path + ": " + reason(e, path.getParent()) + ".",
                    "The cluster already holds the new credential " + credential.id()
                            + "; read it from there, and give a writable path next time.");
        }
    }
}
