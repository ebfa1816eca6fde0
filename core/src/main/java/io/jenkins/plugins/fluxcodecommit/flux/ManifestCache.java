package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

/**
 * The directory where downloaded release archives are kept. What is in it is applied to clusters
 * with cluster-admin rights, so it is private to this user (mode 700: created so, tightened when
 * it is ours and others may enter it, refused when it belongs to someone else), and every entry is
 * checked against the release's published checksum each time it is used, not only on download.
 */
final class ManifestCache {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    private ManifestCache(Path directory) {
        this.directory = directory;
    }

    /** Opens (creating it private when missing) the cache directory, refusing one others control. */
    static ManifestCache open(Path directory, ProgressListener log) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw notADirectory(directory);
        }
        if (!Files.exists(directory)) {
            try {
                createPrivate(directory);
            } catch (FileAlreadyExistsException e) {
                throw notADirectory(directory);
            } catch (IOException e) {
                throw new InvalidInputException(
                        "The manifests cache " + directory + " cannot be created (" + e.getMessage() + ").",
                        "Give a directory this user can create or write (--manifests-cache).");
            }
        }
        requirePrivate(directory, log);
        return new ManifestCache(directory);
    }

    /**
     * The verified content of an entry, or empty when there is none.
     *
     * @param expectedSha256 the release's published SHA-256 of the archive, lower-case hex
     * @throws InvalidInputException when the entry does not have that checksum
     */
    Optional<byte[]> read(String name, String expectedSha256) throws IOException {
        Path entry = directory.resolve(name);
        if (!Files.isRegularFile(entry)) {
            return Optional.empty();
        }
        byte[] content = Files.readAllBytes(entry);
        String actual = ManifestFiles.sha256Hex(content);
        if (!actual.equals(expectedSha256)) {
            throw new InvalidInputException(
                    "The cached manifests " + entry + " have SHA-256 " + actual.substring(0, 12) + "…, but the"
                            + " release publishes " + expectedSha256.substring(0, 12) + "…: the file changed after it"
                            + " was verified and cached, and is not used.",
                    "Delete " + entry + " (the next run downloads and verifies it again), and check what else can"
                            + " write to " + directory + ".");
        }
        return Optional.of(content);
    }

    /** Stores a verified archive, atomically and readable by this user only. */
    void store(String name, byte[] archive) throws IOException {
        Path temp = Files.createTempFile(directory, "download", ".tmp");
        try {
            Files.write(temp, archive);
            Files.move(
                    temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    Path path(String name) {
        return directory.resolve(name);
    }

    private static void createPrivate(Path directory) throws IOException {
        if (Files.getFileStore(existingAncestor(directory)).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
        } else {
            Files.createDirectories(directory);
        }
    }

    private static Path existingAncestor(Path directory) {
        Path p = directory.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? directory.toAbsolutePath().getRoot() : p;
    }

    private static void requirePrivate(Path directory, ProgressListener log) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: its ACLs decide, as for the rest of the user's home
        }
        PosixFileAttributes attributes = view.readAttributes();
        UserPrincipal me = currentUser();
        if (!attributes.owner().equals(me)) {
            throw new InvalidInputException(
                    "The manifests cache " + directory + " belongs to "
                            + attributes.owner().getName() + ", not to " + me.getName()
                            + ": manifests there could be replaced before they are applied.",
                    "Give a cache directory of your own (--manifests-cache), or remove " + directory + ".");
        }
        if (!attributes.permissions().equals(PRIVATE)) {
            view.setPermissions(PRIVATE);
            log.warn("The manifests cache " + directory + " had mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "; made it rwx------ (private)");
        }
    }

    /** The user this process writes files as (the owner of a file it creates), robust without a user name. */
    private static UserPrincipal currentUser() throws IOException {
        Path probe = Files.createTempFile("flux-codecommit-owner", ".tmp");
        try {
            return Files.getOwner(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static InvalidInputException notADirectory(Path directory) {
        return new InvalidInputException(
                "The manifests cache " + directory + " is not a directory.",
                "Give a directory for the cache (--manifests-cache), or remove the file " + directory + ".");
    }
}
