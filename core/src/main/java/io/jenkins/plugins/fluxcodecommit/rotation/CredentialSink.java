package io.jenkins.plugins.fluxcodecommit.rotation;

/**
 * Receives the new credential once the cluster holds it, so the caller's own store (the Jenkins
 * credential, a file the CLI was asked to write) stays the source of truth.
 */
@FunctionalInterface
public interface CredentialSink {
    void accept(NewCredential credential);

    /**
     * The store this sink writes, in a few words without a secret (such as {@code Jenkins credential
     * 'flux-prod'}), recorded while the store does not yet hold the new credential: a rotation resumed
     * by a caller with another store does not retire the old credential until this store has the new
     * one. Empty for a caller that keeps none.
     */
    default String store() {
        return "";
    }

    static CredentialSink none() {
        return c -> {};
    }
}
