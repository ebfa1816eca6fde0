package io.jenkins.plugins.fluxcodecommit.git;

import java.nio.file.Path;
import org.eclipse.jgit.api.Git;

/** A local clone of one branch, made by {@link GitAccess#cloneBranch}. Closing releases the repository. */
public final class Checkout implements AutoCloseable {
    private final Git git;
    private final Path directory;
    private final String branch;

    Checkout(Git git, Path directory, String branch) {
        this.git = git;
        this.directory = directory;
        this.branch = branch;
    }

    public Path directory() {
        return directory;
    }

    public String branch() {
        return branch;
    }

    Git git() {
        return git;
    }

    /** The commit the branch points at, or {@code null} before the first commit. */
    public String head() {
        try {
            var id = git.getRepository().resolve("HEAD");
            return id == null ? null : id.name();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }

    @Override
    public String toString() {
        return "Checkout(" + directory + ", " + branch + ")";
    }
}
