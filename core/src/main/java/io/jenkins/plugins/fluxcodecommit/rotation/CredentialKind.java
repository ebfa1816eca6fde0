package io.jenkins.plugins.fluxcodecommit.rotation;

/** The kinds of CodeCommit credential a rotation replaces. */
public enum CredentialKind {
    /** An IAM user's access key (AKIA...), used for SigV4 Git credentials. */
    ACCESS_KEY,
    /** An IAM user's SSH public key; its ID (APKA...) is the SSH user. */
    SSH_KEY,
    /**
     * HTTPS Git credentials: an IAM service-specific credential for codecommit.amazonaws.com (user
     * name and password), as Argo CD uses. IAM allows two; rotation alternates between them.
     */
    HTTPS_GIT_CREDENTIAL
}
