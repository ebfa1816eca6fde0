package io.jenkins.plugins.fluxcodecommit.plugin;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import io.jenkins.plugins.fluxcodecommit.adapter.Reports;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationTarget;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the steps and the freestyle builders do, on the controller: resolve credentials as the
 * build's identity, build the engine's request (paths relative to the workspace), run the engine on
 * the workspace's node, log the summary and return the result map.
 */
final class Operations {
    /** Where export mode and dry runs write their files when no directory is given: in the workspace. */
    static final String EXPORT_DIRECTORY = "flux-codecommit-export";

    private Operations() {}

    static Map<String, Object> bootstrap(
            FluxCodeCommitBootstrapStep s,
            Run<?, ?> run,
            FilePath workspace,
            EnvVars env,
            Launcher launcher,
            TaskListener listener)
            throws IOException, InterruptedException {
        BootstrapRequest request;
        try {
            request = bootstrapRequest(s, run, workspace, env);
        } catch (FluxCodeCommitException e) {
            throw new AbortException(e.getMessage());
        }
        listener.getLogger()
                .println("[flux-codecommit] Bootstrapping " + CodeCommitUrl.redactUserInfo(request.url()) + " branch "
                        + request.branch()
                        + (request.cluster() == null
                                ? " in export mode (no cluster given)"
                                : " on " + request.cluster().describe())
                        + " from "
                        + (workspace.getChannel() == FilePath.localChannel ? "the controller" : "the agent"));
        BootstrapResult result = channel(workspace).call(new AgentCalls.BootstrapCall(request, env, listener));
        Reports.lines(result).forEach(line -> listener.getLogger().println("[flux-codecommit] " + line));
        return Reports.map(result);
    }

    static BootstrapRequest bootstrapRequest(
            FluxCodeCommitBootstrapStep s, Run<?, ?> run, FilePath workspace, EnvVars env) throws IOException {
        if (s.getUrl() == null) {
            throw new AbortException("fluxCodeCommitBootstrap needs url: the repository's clone URL.");
        }
        CodeCommitIdentity identity = Identities.resolve(s.getCredentialsId(), run);
        BootstrapRequest.Builder b = (identity != null ? identity : CodeCommitIdentity.none()).bootstrap(s.getUrl());
        CodeCommitUrl parsed = CodeCommitUrl.parse(b.build().url());
        String region = s.getRegion() != null ? s.getRegion() : identity != null ? identity.region() : null;
        if (s.getRegion() != null) {
            b.region(s.getRegion());
        }
        return b.branch(s.getBranch())
                .path(s.getPath())
                .knownHosts(s.getKnownHosts())
                .install(new InstallOptions(
                        s.getVersion(),
                        s.getNamespace(),
                        list(s.getComponents()),
                        list(s.getComponentsExtra()),
                        s.getRegistry(),
                        s.getImagePullSecret(),
                        s.isNetworkPolicy(),
                        s.isWatchAllNamespaces(),
                        s.getLogLevel(),
                        list(s.getTolerationKeys()),
                        s.getClusterDomain()))
                .secretName(s.getSecretName())
                .interval(s.getInterval())
                .author(s.getAuthorName(), s.getAuthorEmail() == null ? "" : s.getAuthorEmail())
                .commitMessageAppendix(s.getCommitMessageAppendix())
                .manifests(ManifestsSource.parse(
                        s.getManifests() == null || s.getManifests().startsWith("http")
                                ? s.getManifests()
                                : onAgent(workspace, s.getManifests()),
                        s.getManifestsSha256(),
                        s.getReleasesUrl()))
                .sourceControllerRoleArn(s.getSourceControllerRoleArn())
                .cluster(cluster(
                        s.getEksCluster(),
                        s.getEksRegion() != null ? s.getEksRegion() : region != null ? region : parsed.region(),
                        s.isInCluster(),
                        s.getKubeconfig(),
                        s.getKubeconfigCredentialsId(),
                        s.getContext(),
                        run,
                        workspace,
                        env))
                .dryRun(s.isDryRun())
                // Export mode's files stay in the workspace, where a later step can archive them.
                .exportDirectory(
                        onAgent(workspace, s.getExportDirectory() == null ? EXPORT_DIRECTORY : s.getExportDirectory()))
                .force(s.isForce())
                .waitForHealth(s.isWaitForHealth())
                .timeout(GoDuration.parse(s.getTimeout(), "the timeout"))
                .aws(s.aws())
                .build();
    }

    static Map<String, Object> rotate(
            RotateCodeCommitKeyStep s,
            Run<?, ?> run,
            FilePath workspace,
            EnvVars env,
            Launcher launcher,
            TaskListener listener)
            throws IOException, InterruptedException {
        RotationRequest request;
        try {
            request = rotationRequest(s, run, workspace, env);
        } catch (FluxCodeCommitException e) {
            throw new AbortException(e.getMessage());
        }
        listener.getLogger()
                .println("[flux-codecommit] Rotating the " + request.kind().label() + " of IAM user " + request.user()
                        + " for " + request.name() + (request.dryRun() ? " (dry run)" : "")
                        + (s.getCredentialsId() == null
                                ? ""
                                : "; Jenkins credential '" + s.getCredentialsId() + "' takes the new one"));
        VirtualChannel channel = channel(workspace);
        CredentialWriteBack writeBack = s.getCredentialsId() == null || request.dryRun()
                ? null
                : new CredentialWriteBack(s.getCredentialsId(), request.kind(), request.user(), run, listener);
        if (writeBack != null) {
            try {
                writeBack.preflight();
            } catch (FluxCodeCommitException e) {
                throw new AbortException(e.getMessage() + "\nNothing was changed.");
            }
        }
        try {
            // No sink is null: CredentialSink.none() is a lambda the channel cannot serialize.
            CredentialSink sink = writeBack == null ? null : channel.export(CredentialSink.class, writeBack);
            RotationResult result = channel.call(new AgentCalls.RotationCall(request, env, listener, sink));
            listener.getLogger().println("[flux-codecommit] " + Reports.line(result));
            return Reports.map(result);
        } finally {
            if (writeBack != null) {
                writeBack.close();
            }
        }
    }

    static RotationRequest rotationRequest(RotateCodeCommitKeyStep s, Run<?, ?> run, FilePath workspace, EnvVars env)
            throws IOException {
        CredentialKind kind = CredentialKind.parse(s.getKind());
        CodeCommitIdentity rotated = Identities.resolve(s.getCredentialsId(), run);
        CodeCommitIdentity caller = Identities.resolve(s.getAwsCredentialsId(), run);
        String user = s.getUser() != null ? s.getUser() : rotated != null ? rotated.iamUser() : null;
        if (user == null) {
            throw new AbortException("rotateCodeCommitKey needs user: the IAM user whose " + kind.label()
                    + " the cluster uses (or an 'AWS CodeCommit identity' credential that names it).");
        }
        AwsIdentity identity = caller == null ? null : caller.awsIdentity();
        if (caller != null && identity == null) {
            throw new AbortException("Credential '" + s.getAwsCredentialsId() + "' (" + caller.describe()
                    + ") has no IAM half to call IAM with.");
        }
        String region = s.getRegion() != null ? s.getRegion() : caller != null ? caller.region() : null;
        ClusterTarget cluster = cluster(
                s.getEksCluster(),
                s.getEksRegion() != null ? s.getEksRegion() : region,
                s.isInCluster(),
                s.getKubeconfig(),
                s.getKubeconfigCredentialsId(),
                s.getContext(),
                run,
                workspace,
                env);
        if (cluster == null) {
            throw new AbortException("rotateCodeCommitKey needs a cluster: give eksCluster, kubeconfigCredentialsId,"
                    + " kubeconfig or context, or inCluster: true.");
        }
        List<RotationTarget> targets = new ArrayList<>();
        for (RotationTargetSpec t : s.getTargets()) {
            targets.add(t.toTarget());
        }
        if (targets.isEmpty()) {
            targets.add(RotationTarget.FluxSource.defaults());
        }
        String name = s.getName() != null
                ? s.getName()
                : s.getEksCluster() != null ? s.getEksCluster() : s.getContext() != null ? s.getContext() : "cluster";
        return new RotationRequest(
                name,
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
                s.aws());
    }

    private static ClusterTarget cluster(
            String eksCluster,
            String region,
            boolean inCluster,
            String kubeconfig,
            String kubeconfigCredentialsId,
            String context,
            Run<?, ?> run,
            FilePath workspace,
            EnvVars env)
            throws IOException {
        Secret content = kubeconfigCredentialsId == null ? null : Identities.kubeconfig(kubeconfigCredentialsId, run);
        return ClusterTarget.select(
                eksCluster,
                region,
                inCluster,
                kubeconfig == null ? null : onAgent(workspace, kubeconfig),
                content,
                context,
                env);
    }

    /** A path on the agent: relative ones are taken from the workspace. */
    private static String onAgent(FilePath workspace, String path) {
        return new FilePath(workspace, path).getRemote();
    }

    private static VirtualChannel channel(FilePath workspace) throws AbortException {
        VirtualChannel channel = workspace.getChannel();
        if (channel == null) {
            throw new AbortException("The agent of workspace " + workspace.getRemote() + " is offline.");
        }
        return channel;
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split("[,\\s]+"))
                .filter(x -> !x.isEmpty())
                .toList();
    }
}
