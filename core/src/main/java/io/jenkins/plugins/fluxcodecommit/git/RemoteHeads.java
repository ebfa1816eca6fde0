package io.jenkins.plugins.fluxcodecommit.git;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The branches of a remote repository and the branch its HEAD names.
 *
 * @param branches branch name (without refs/heads/) to commit ID
 * @param head the default branch, or {@code null} when the remote does not say (or is empty)
 */
public record RemoteHeads(SortedMap<String, String> branches, String head) {
    public RemoteHeads {
        branches = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(branches));
    }

    public static RemoteHeads of(Map<String, String> branches, String head) {
        return new RemoteHeads(new TreeMap<>(branches), head);
    }

    public boolean isEmpty() {
        return branches.isEmpty();
    }
}
