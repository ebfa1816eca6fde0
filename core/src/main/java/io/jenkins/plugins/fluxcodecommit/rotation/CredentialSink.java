package io.jenkins.plugins.fluxcodecommit.rotation;

/**
 * Receives the new credential once the cluster holds it, so the caller's own store (the Jenkins
 * credential, a file the CLI was asked to write) stays the source of truth.
 */
@FunctionalInterface
public interface CredentialSink {
    void accept(NewCredential credential);

    static CredentialSink none() {
        return c -> {};
    }
}
