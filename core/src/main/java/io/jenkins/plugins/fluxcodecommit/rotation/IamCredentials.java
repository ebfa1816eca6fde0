package io.jenkins.plugins.fluxcodecommit.rotation;

import java.util.List;

/**
 * The IAM operations a rotation needs, for one kind of credential. {@link SdkIamCredentials} talks
 * to IAM; tests wrap it to fail on cue.
 */
public interface IamCredentials {
    List<IamCredential> list(String user, CredentialKind kind);

    NewCredential create(String user, CredentialKind kind);

    void setActive(String user, CredentialKind kind, String id, boolean active);

    void delete(String user, CredentialKind kind, String id);

    /** A new password for an existing HTTPS Git credential slot (IAM's ResetServiceSpecificCredential). */
    default NewCredential reset(String user, CredentialKind kind, String id) {
        throw new UnsupportedOperationException("reset is only for HTTPS Git credentials");
    }
}
