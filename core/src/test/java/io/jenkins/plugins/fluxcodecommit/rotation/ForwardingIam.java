package io.jenkins.plugins.fluxcodecommit.rotation;

import java.util.List;

/** Passes every IAM call through; tests override the one they change. */
class ForwardingIam implements IamCredentials {
    final IamCredentials iam;

    ForwardingIam(IamCredentials iam) {
        this.iam = iam;
    }

    @Override
    public List<IamCredential> list(String user, CredentialKind kind) {
        return iam.list(user, kind);
    }

    @Override
    public NewCredential create(String user, CredentialKind kind) {
        return iam.create(user, kind);
    }

    @Override
    public NewCredential reset(String user, CredentialKind kind, String id) {
        return iam.reset(user, kind, id);
    }

    @Override
    public void setActive(String user, CredentialKind kind, String id, boolean active) {
        iam.setActive(user, kind, id, active);
    }

    @Override
    public void delete(String user, CredentialKind kind, String id) {
        iam.delete(user, kind, id);
    }
}
