package io.jenkins.plugins.fluxcodecommit.plugin.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.fluxcodecommit.adapter.Reports;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.Identities;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.Agents;
import io.jenkins.plugins.fluxcodecommit.plugin.writeback.CredentialWriteBack;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.NewCredentialCheck;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code rotateCodeCommitKey} and its freestyle builder do on the controller: resolve the
 * rotated credential and the IAM caller as the build's identity, check that the Jenkins credential
 * can take the new secret before anything changes, run the engine on the workspace's node with the
 * write-back exported to it, and return the result map.
 */
public final class RotationOperation {
    private RotationOperation() {}

    public static Map<String, Object> run(
            RotateCodeCommitKeyStep s, Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        Identities.Resolved rotated = Identities.find(s.getCredentialsId(), run);
        RotationRequest request;
        try {
            request = request(s, rotated, run, workspace, env);
        } catch (FluxCodeCommitException e) {
            throw new AbortException(e.getMessage());
        }
        // The credential that was read is the one written: a parameter resolves to its value's ID.
        String writeBackId = rotated == null ? null : rotated.credential().getId();
        listener.getLogger()
                .println("[flux-codecommit] Rotating the " + request.kind().label() + " of IAM user " + request.user()
                        + " for " + request.name() + (request.dryRun() ? " (dry run)" : "")
                        + (writeBackId == null ? "" : "; Jenkins credential '" + writeBackId + "' takes the new one"));
        if (writeBackId != null
                && !request.dryRun()
                && NewCredentialCheck.needsCaller(request.kind())
                && request.identity() == null) {
            throw new AbortException("Before Jenkins credential '" + writeBackId + "' takes a new "
                    + request.kind().label() + ", the controller confirms it with IAM, as the identity in"
                    + " awsCredentialsId; none was given. Give awsCredentialsId (an identity that may read the"
                    + " user's " + request.kind().label() + "s), or leave credentialsId out.\nNothing was changed.");
        }
        CredentialWriteBack writeBack = writeBackId == null || request.dryRun()
                ? null
                : new CredentialWriteBack(
                        writeBackId,
                        request.kind(),
                        request.user(),
                        // The controller confirms with its own JVM's trust: caFile is a path on the
                        // agent, and a job must not choose whom the controller trusts.
                        new NewCredentialCheck(request.aws().withCaFile(null), request.identity(), request.region()),
                        run,
                        listener);
        if (writeBack != null) {
            try {
                writeBack.preflight();
            } catch (FluxCodeCommitException e) {
                throw new AbortException(e.getMessage() + "\nNothing was changed.");
            }
        }
        VirtualChannel channel = Agents.channel(workspace);
        try {
            // No sink is null: CredentialSink.none() is a lambda the channel cannot serialize.
            CredentialSink sink = writeBack == null ? null : channel.export(CredentialSink.class, writeBack);
            RotationResult result = channel.call(new RotateCodeCommitKeyStep.AgentCall(request, env, listener, sink));
            listener.getLogger().println("[flux-codecommit] " + Reports.line(result));
            return Reports.map(result);
        } finally {
            if (writeBack != null) {
                writeBack.close();
            }
        }
    }

    static RotationRequest request(
            RotateCodeCommitKeyStep s, Identities.Resolved rotated, Run<?, ?> run, FilePath workspace, EnvVars env)
            throws IOException {
        CredentialKind kind = CredentialKind.parse(s.getKind());
        Identities.Resolved caller = Identities.find(s.getAwsCredentialsId(), run);
        String user = s.getUser() != null
                ? s.getUser()
                : rotated != null ? rotated.identity().iamUser() : null;
        if (user == null) {
            throw new AbortException("rotateCodeCommitKey needs user: the IAM user whose " + kind.label()
                    + " the cluster uses (or an 'AWS CodeCommit identity' credential that names it).");
        }
        AwsIdentity identity = caller == null ? null : caller.identity().awsIdentity();
        if (caller != null && identity == null) {
            throw new AbortException("Credential '" + s.getAwsCredentialsId() + "' ("
                    + caller.identity().describe() + ") has no IAM half to call IAM with.");
        }
        String region = s.getRegion() != null
                ? s.getRegion()
                : caller != null ? caller.identity().region() : null;
        if (s.getCluster() == null) {
            throw new AbortException("rotateCodeCommitKey needs a cluster: give cluster: eksCluster(name: ...),"
                    + " kubeconfigCredentials(credentialsId: ...), kubeconfigFile(...) or inCluster().");
        }
        ClusterTarget cluster = s.getCluster().toTarget(run, workspace, env, region);
        List<RotationTarget> targets = new ArrayList<>();
        for (RotationTargetSpec t : s.getTargets()) {
            targets.add(t.toTarget());
        }
        if (targets.isEmpty()) {
            targets.add(RotationTarget.FluxSource.defaults());
        }
        AwsSettings aws = FluxCodeCommitConfiguration.get()
                .aws()
                .withCaFile(s.getCaFile() == null ? null : Agents.path(workspace, s.getCaFile()));
        return new RotationRequest(
                s.getName() != null ? s.getName() : s.getCluster().label(),
                kind,
                user,
                identity,
                region,
                cluster,
                targets,
                s.getRepositoryUrl(),
                s.getMaxAgeDays() <= 0 ? null : Duration.ofDays(s.getMaxAgeDays()),
                s.isForce(),
                s.isDryRun(),
                "never".equals(s.getDeleteAfter()) ? null : GoDuration.parse(s.getDeleteAfter(), "deleteAfter"),
                GoDuration.parse(s.getVerifyTimeout(), "verifyTimeout"),
                null,
                aws,
                GoDuration.parse(s.getDeactivateAfter(), "deactivateAfter"));
    }
}
