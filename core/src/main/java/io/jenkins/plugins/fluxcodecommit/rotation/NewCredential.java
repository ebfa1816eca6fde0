package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;

/**
 * A credential just created: its ID and its secret half (the secret access key, or the private
 * key PEM with its public key line). The secret exists nowhere else until written to the targets.
 */
public record NewCredential(CredentialKind kind, String user, String id, Secret secret, String publicKey)
        implements Serializable {}
