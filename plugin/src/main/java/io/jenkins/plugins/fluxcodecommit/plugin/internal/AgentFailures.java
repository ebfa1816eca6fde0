package io.jenkins.plugins.fluxcodecommit.plugin.internal;

import hudson.AbortException;
import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * How an engine failure on an agent comes back: as an {@link AbortException} carrying only its
 * redacted message, so no library exception (which may hold a secret, and whose class the channel
 * would refuse) crosses back. Only engine requests and results, the build's environment and the
 * listener cross the channel (the engine jar is whitelisted for that); AWS SDK, JGit and fabric8
 * objects are made and used on the agent alone.
 */
@Restricted(NoExternalUse.class)
public final class AgentFailures {
    private AgentFailures() {}

    /** The build's error for an engine failure: the engine's own message, or the redacted unexpected one. */
    public static AbortException abort(RuntimeException e, ProgressListener log, Redactor redactor) {
        if (e instanceof FluxCodeCommitException known) {
            return new AbortException(known.getMessage());
        }
        // Not an error the engine foresaw: keep its type and redacted message, drop its chain.
        String message = e.getClass().getName() + ": " + redactor.redact(String.valueOf(e.getMessage()));
        if (log != null) {
            log.warn("unexpected failure: " + message);
        }
        return new AbortException(message);
    }

    /** A redactor that knows the secrets of an identity and of a cluster's credentials. */
    public static Redactor redactor(AwsIdentity identity, ClusterTarget cluster) {
        Redactor redactor = new Redactor();
        if (cluster instanceof ClusterTarget.Kubeconfig k) {
            redactor.add(k.content());
        } else if (cluster instanceof ClusterTarget.ApiServer api) {
            redactor.add(api.token());
        }
        while (identity instanceof AssumeRole role) {
            identity = role.source();
        }
        if (identity instanceof AwsKeys keys) {
            redactor.add(keys.secretAccessKey(), keys.sessionToken());
        }
        return redactor;
    }
}
