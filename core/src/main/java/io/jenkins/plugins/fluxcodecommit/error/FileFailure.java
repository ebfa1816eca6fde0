package io.jenkins.plugins.fluxcodecommit.error;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words: the JDK's exceptions carry only the path as their
 * message ({@code NoSuchFileException: /a/b}), so their class is the reason, and a user should
 * not have to read class names.
 */
public final class FileFailure {
    private FileFailure() {}

    /** "/a/b does not exist", "permission denied on /a/b", ...; the network's words for a network failure. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            String file = fs.getFile() == null ? "the file" : fs.getFile();
            String other = fs.getOtherFile() == null ? "" : " (and " + fs.getOtherFile() + ")";
            if (e instanceof NoSuchFileException) {
                return file + other + " does not exist";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied on " + file + other;
            }
            if (e instanceof FileAlreadyExistsException) {
                return file + other + " already exists";
            }
            if (e instanceof NotDirectoryException) {
                return file + " is not a directory";
            }
            if (e instanceof DirectoryNotEmptyException) {
                return "the directory " + file + " is not empty";
            }
            return file + other + ": " + (fs.getReason() == null ? "an input/output error" : fs.getReason());
        }
        String network = NetworkFailure.describe(e);
        return network != null ? network : "an input/output error";
    }
}
