package io.jenkins.plugins.fluxcodecommit.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's temporary directories (clones of the repository, the SSH client's home with its
 * known_hosts), each named {@code flux-codecommit-KIND-HOST-PID-…} under the operation's temporary
 * root: {@code TMPDIR} of its environment (the Jenkins steps give the build's workspace@tmp, a test
 * its own directory), else the JVM's. A process that is killed cannot remove its own: the first
 * one made under a root by a later process removes those whose process is gone, so nothing a
 * killed run held (clones, keys in an SSH home) stays behind for long. A process that is still
 * alive keeps its directories, even if its PID was reused; so do those of other hosts and PID
 * namespaces (containers sharing a temporary directory), which HOST, a digest of the host name,
 * tells apart.
 */
public final class WorkingCopies {
    private static final Pattern OURS =
            Pattern.compile("flux-codecommit-(bootstrap|ssh|rotation)-([0-9a-f]{8})-(\\d+)-.*");
    static final String HOST = hostTag();
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private WorkingCopies() {}

    /** A new directory of this kind ({@code bootstrap}, {@code ssh}, {@code rotation}). */
    public static Path create(Map<String, String> environment, String kind) {
        Path root = root(environment);
        try {
            if (SWEPT.add(root)) {
                sweep(root);
            }
            Files.createDirectories(root);
            return Files.createTempDirectory(
                    root,
                    "flux-codecommit-" + kind + "-" + HOST + "-"
                            + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path root(Map<String, String> environment) {
        String dir = environment == null ? null : environment.get("TMPDIR");
        return Path.of(dir == null || dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir.strip())
                .toAbsolutePath();
    }

    /** Removes the directories of processes that are gone. */
    static void sweep(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "flux-codecommit-*")) {
            for (Path entry : entries) {
                Matcher m = OURS.matcher(entry.getFileName().toString());
                if (m.matches()
                        && m.group(2).equals(HOST)
                        && Files.isDirectory(entry)
                        && gone(Long.parseLong(m.group(3)))) {
                    Directories.delete(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: another process may be sweeping too
        }
    }

    /** The kernel's host name (no DNS lookup, which can stall on a badly configured agent). */
    private static String hostTag() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                host = "unknown";
            }
        }
        return String.format("%08x", host.hashCode());
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
}
