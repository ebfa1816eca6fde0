package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What every part of one cluster's rotation shares: the request, the clock, the log, IAM and AWS. */
record RotationContext(
        RotationRequest request,
        Map<String, String> environment,
        Clock clock,
        ProgressListener log,
        Redactor redactor,
        AwsClients aws,
        IamCredentials iam,
        RotationCalls calls) {
    CredentialKind kind() {
        return request.kind();
    }

    String user() {
        return request.user();
    }

    String region() {
        return request.region() == null ? "us-east-1" : request.region();
    }

    Instant now() {
        return clock.instant();
    }

    /** Sleeps a poll interval; an interrupt (an aborted build) ends the wait as a failure. */
    void pause() {
        pause(request.pollInterval());
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException(
                    "Interrupted while rotating.", null);
        }
    }
}
