package io.jenkins.plugins.fluxcodecommit.plugin;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxcodecommit.adapter.AwsEnvironment;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.Rotation;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import jenkins.security.MasterToSlaveCallable;

/**
 * What runs on the agent. Only engine requests and results, the build's environment and the
 * listener cross the channel (the engine jar is whitelisted for that); AWS SDK, JGit and fabric8
 * objects are made and used on the agent alone. Engine errors come back as {@link AbortException}s
 * carrying only their redacted message, so no library exception (which may hold a secret, and
 * whose class the channel would refuse) crosses back.
 */
final class AgentCalls {
    private AgentCalls() {}

    static final class BootstrapCall extends MasterToSlaveCallable<BootstrapResult, IOException> {
        private static final long serialVersionUID = 1L;
        private final BootstrapRequest request;
        private final HashMap<String, String> environment;
        private final TaskListener listener;

        BootstrapCall(BootstrapRequest request, Map<String, String> environment, TaskListener listener) {
            this.request = request;
            this.environment = new HashMap<>(environment);
            this.listener = listener;
        }

        @Override
        public BootstrapResult call() throws IOException {
            BuildLog log = new BuildLog(listener);
            try {
                return new Bootstrap(request, environment, Clock.systemUTC()).call(log);
            } catch (RuntimeException e) {
                throw abort(
                        e,
                        log,
                        redactor(request.identity(), request.cluster())
                                .add(request.password(), request.sshPrivateKey(), request.sshPassphrase()));
            }
        }
    }

    static final class RotationCall extends MasterToSlaveCallable<RotationResult, IOException> {
        private static final long serialVersionUID = 1L;
        private final RotationRequest request;
        private final HashMap<String, String> environment;
        private final TaskListener listener;

        @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "A channel-exported proxy, which is serializable.")
        private final CredentialSink sink;

        /** @param sink a proxy exported by the controller (its own sink on a local channel), or null for none */
        RotationCall(
                RotationRequest request, Map<String, String> environment, TaskListener listener, CredentialSink sink) {
            this.request = request;
            this.environment = new HashMap<>(environment);
            this.listener = listener;
            this.sink = sink;
        }

        @Override
        public RotationResult call() throws IOException {
            BuildLog log = new BuildLog(listener);
            try {
                return new Rotation(request, environment, Clock.systemUTC())
                        .call(log, sink == null ? CredentialSink.none() : sink);
            } catch (RuntimeException e) {
                throw abort(e, log, redactor(request.identity(), request.cluster()));
            }
        }
    }

    /** The AWS variables of an identity, a role being assumed here, on the agent. */
    static final class AwsVariablesCall extends MasterToSlaveCallable<HashMap<String, String>, IOException> {
        private static final long serialVersionUID = 1L;
        private final CodeCommitIdentity identity;
        private final HashMap<String, String> environment;

        AwsVariablesCall(CodeCommitIdentity identity, Map<String, String> environment) {
            this.identity = identity;
            this.environment = new HashMap<>(environment);
        }

        @Override
        public HashMap<String, String> call() throws IOException {
            try {
                return new HashMap<>(AwsEnvironment.of(identity, AwsSettings.defaults(), environment));
            } catch (RuntimeException e) {
                throw abort(
                        e,
                        null,
                        redactor(identity.awsIdentity(), null).add(identity.sshPrivateKey(), identity.gitPassword()));
            }
        }
    }

    private static AbortException abort(RuntimeException e, BuildLog log, Redactor redactor) {
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

    private static Redactor redactor(AwsIdentity identity, ClusterTarget cluster) {
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
