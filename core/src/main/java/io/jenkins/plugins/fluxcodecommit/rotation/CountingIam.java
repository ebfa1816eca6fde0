package io.jenkins.plugins.fluxcodecommit.rotation;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the IAM API calls a rotation makes, for its result. */
final class CountingIam implements IamCredentials {
    private final IamCredentials delegate;
    private final AtomicInteger calls;
    private final RotationCalls around;

    CountingIam(IamCredentials delegate, AtomicInteger calls, RotationCalls around) {
        this.delegate = delegate;
        this.calls = calls;
        this.around = around;
    }

    @Override
    public List<IamCredential> list(String user, CredentialKind kind) {
        List<IamCredential> out = around.around("iam:List " + kind, false, () -> delegate.list(user, kind));
        // ListAccessKeys plus one GetAccessKeyLastUsed per key.
        calls.addAndGet(1 + (kind == CredentialKind.ACCESS_KEY ? out.size() : 0));
        return out;
    }

    @Override
    public NewCredential create(String user, CredentialKind kind) {
        calls.incrementAndGet();
        return around.around("iam:Create " + kind, true, () -> delegate.create(user, kind));
    }

    @Override
    public NewCredential reset(String user, CredentialKind kind, String id) {
        calls.incrementAndGet();
        return around.around("iam:Reset " + kind + " " + id, true, () -> delegate.reset(user, kind, id));
    }

    @Override
    public void setActive(String user, CredentialKind kind, String id, boolean active) {
        calls.incrementAndGet();
        around.around("iam:Update " + kind + " " + id + (active ? " Active" : " Inactive"), true, () -> {
            delegate.setActive(user, kind, id, active);
            return null;
        });
    }

    @Override
    public void delete(String user, CredentialKind kind, String id) {
        calls.incrementAndGet();
        around.around("iam:Delete " + kind + " " + id, true, () -> {
            delegate.delete(user, kind, id);
            return null;
        });
    }
}
