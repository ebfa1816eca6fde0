package io.jenkins.plugins.fluxcodecommit.flux;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What a bootstrap did, for the build log, the step's return value and the CLI report.
 *
 * @param commits commits pushed (or made locally in export mode), oldest first
 * @param revision Flux's revision of the branch head, {@code branch@sha1:HEAD}
 * @param applied objects applied, as {@code Kind/ns/name change}; in export mode the plan instead
 * @param secret what happened to the source secret: created, updated, unchanged, or planned
 * @param exportDirectory where files were written in dry-run mode, else {@code null}
 */
public record BootstrapResult(
        String url,
        String branch,
        String revision,
        List<String> commits,
        boolean componentsInstalled,
        List<String> applied,
        String secret,
        boolean healthy,
        boolean exportMode,
        String exportDirectory,
        Duration took)
        implements Serializable {
    public BootstrapResult {
        commits = List.copyOf(commits);
        applied = List.copyOf(applied);
    }

    /** True when the run changed nothing: no commit, no object, no secret. */
    public boolean noOp() {
        return commits.isEmpty()
                && applied.stream().noneMatch(a -> a.endsWith(" created") || a.endsWith(" configured"))
                && !secret.startsWith("created")
                && !secret.startsWith("updated");
    }
}
