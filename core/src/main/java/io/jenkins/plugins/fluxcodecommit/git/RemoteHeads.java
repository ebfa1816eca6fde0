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
public record RemoteHeads(SortedMap<String, String> branches, String head) implements java.io.Serializable {
    public RemoteHeads {
        // A TreeMap copy: serializable, so results cross the Jenkins agent channel.
        branches = new TreeMap<>(branches);
    }

    public static RemoteHeads of(Map<String, String> branches, String head) {
        return new RemoteHeads(new TreeMap<>(branches), head);
    }

    @Override
    public SortedMap<String, String> branches() {
        return java.util.Collections.unmodifiableSortedMap(branches);
    }

    public boolean isEmpty() {
        return branches.isEmpty();
    }
}
