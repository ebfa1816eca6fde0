package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;

/**
 * A credential just created: its ID and its secret half (the secret access key, the private key
 * PEM with its public key line, or an HTTPS Git credential's password with its user name). The secret exists nowhere else until written to the targets.
 */
public record NewCredential(
        CredentialKind kind, String user, String id, Secret secret, String publicKey, String gitUserName)
        implements Serializable {
    public NewCredential(CredentialKind kind, String user, String id, Secret secret, String publicKey) {
        this(kind, user, id, secret, publicKey, null);
    }
}
