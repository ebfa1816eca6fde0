package io.jenkins.plugins.fluxcodecommit.rotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Reads a file at the head of main in a bare test repository. */
final class BootstrapFiles {
    private BootstrapFiles() {}

    static String read(Repository repo, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            var head = walk.parseCommit(repo.resolve("refs/heads/main"));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, head.getTree())) {
                return tree == null
                        ? null
                        : new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
