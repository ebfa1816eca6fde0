package io.jenkins.plugins.fluxcodecommit.plugin.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import io.jenkins.plugins.fluxcodecommit.adapter.Reports;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.Identities;
import io.jenkins.plugins.fluxcodecommit.plugin.internal.Agents;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code fluxCodeCommitBootstrap} and its freestyle builder do on the controller: resolve the
 * credential as the build's identity, build the engine's request (paths relative to the
 * workspace), run the engine on the workspace's node, log the summary and return the result map.
 */
public final class BootstrapOperation {
    /** Where export mode and dry runs write their files when no directory is given: in the workspace. */
    static final String EXPORT_DIRECTORY = "flux-codecommit-export";

    private BootstrapOperation() {}

    public static Map<String, Object> run(
            FluxCodeCommitBootstrapStep s, Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        BootstrapRequest request;
        try {
            request = request(s, run, workspace, env);
        } catch (FluxCodeCommitException e) {
            throw new AbortException(e.getMessage());
        }
        listener.getLogger()
                .println("[flux-codecommit] Bootstrapping " + CodeCommitUrl.redactUserInfo(request.url()) + " branch "
                        + request.branch()
                        + (request.cluster() == null
                                ? " in export mode (no cluster given)"
                                : " on " + request.cluster().describe())
                        + " from " + Agents.describe(workspace));
        BootstrapResult result =
                Agents.channel(workspace).call(new FluxCodeCommitBootstrapStep.AgentCall(request, env, listener));
        Reports.lines(result).forEach(line -> listener.getLogger().println("[flux-codecommit] " + line));
        return Reports.map(result);
    }

    static BootstrapRequest request(FluxCodeCommitBootstrapStep s, Run<?, ?> run, FilePath workspace, EnvVars env)
            throws IOException {
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
        ClusterTarget cluster = s.getCluster() == null
                ? null
                : s.getCluster().toTarget(run, workspace, env, region != null ? region : parsed.region());
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
                                : Agents.path(workspace, s.getManifests()),
                        s.getManifestsSha256(),
                        s.getReleasesUrl()))
                .sourceControllerRoleArn(s.getSourceControllerRoleArn())
                .cluster(cluster)
                .dryRun(s.isDryRun())
                // Export mode's files stay in the workspace, where a later step can archive them.
                .exportDirectory(Agents.path(
                        workspace, s.getExportDirectory() == null ? EXPORT_DIRECTORY : s.getExportDirectory()))
                .force(s.isForce())
                .acceptNewHostKey(s.isAcceptNewHostKey())
                .waitForHealth(s.isWaitForHealth())
                .timeout(GoDuration.parse(s.getTimeout(), "the timeout"))
                .aws(FluxCodeCommitConfiguration.get()
                        .aws()
                        .withCaFile(s.getCaFile() == null ? null : Agents.path(workspace, s.getCaFile())))
                .build();
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
