package io.jenkins.plugins.fluxcodecommit.rotation;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the IAM API calls a rotation makes, for its result. */
final class CountingIam implements IamCredentials {
    private final IamCredentials delegate;
    private final AtomicInteger calls;

    CountingIam(IamCredentials delegate, AtomicInteger calls) {
        this.delegate = delegate;
        this.calls = calls;
    }

    @Override
    public List<IamCredential> list(String user, CredentialKind kind) {
        List<IamCredential> out = delegate.list(user, kind);
        // ListAccessKeys plus one GetAccessKeyLastUsed per key.
        calls.addAndGet(1 + (kind == CredentialKind.ACCESS_KEY ? out.size() : 0));
        return out;
    }

    @Override
    public NewCredential create(String user, CredentialKind kind) {
        calls.incrementAndGet();
        return delegate.create(user, kind);
    }

    @Override
    public NewCredential reset(String user, CredentialKind kind, String id) {
        calls.incrementAndGet();
        return delegate.reset(user, kind, id);
    }

    @Override
    public void setActive(String user, CredentialKind kind, String id, boolean active) {
        calls.incrementAndGet();
        delegate.setActive(user, kind, id, active);
    }

    @Override
    public void delete(String user, CredentialKind kind, String id) {
        calls.incrementAndGet();
        delegate.delete(user, kind, id);
    }
}
