package io.jenkins.plugins.fluxcodecommit.git;

/**
 * What a push did.
 *
 * @param commit the commit the remote branch now points at
 * @param upToDate true when the remote already had it and nothing was sent
 */
public record PushOutcome(String branch, String commit, boolean upToDate) {}
