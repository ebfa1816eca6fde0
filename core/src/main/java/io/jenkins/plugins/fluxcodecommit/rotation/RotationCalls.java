package io.jenkins.plugins.fluxcodecommit.rotation;

import java.util.function.Supplier;

/**
 * Every call a rotation makes to IAM, a cluster or Git passes here. In production it only makes
 * the call; tests use it as the seam to fail a chosen call (before it, or after it succeeded), to
 * stop the run there as a killed process would, and to check between calls that every consumer
 * still holds a credential IAM accepts.
 */
interface RotationCalls {
    /**
     * @param call what the call does, e.g. {@code iam:CreateAccessKey} or {@code write secret apps/x}
     * @param mutates whether it changes anything (a create, a write, a push) rather than reads
     */
    <T> T around(String call, boolean mutates, Supplier<T> body);

    RotationCalls DIRECT = new RotationCalls() {
        @Override
        public <T> T around(String call, boolean mutates, Supplier<T> body) {
            return body.get();
        }
    };
}
