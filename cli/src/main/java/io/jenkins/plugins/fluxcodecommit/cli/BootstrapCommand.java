package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.adapter.Reports;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.flux.Bootstrap;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapRequest;
import io.jenkins.plugins.fluxcodecommit.flux.BootstrapResult;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.flux.InstallOptions;
import io.jenkins.plugins.fluxcodecommit.flux.ManifestsSource;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flux-codecommit bootstrap}: what {@code flux bootstrap git} does, for CodeCommit, without binaries. */
@Command(
        name = "bootstrap",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Deploy Flux on a cluster and configure it to sync itself from a CodeCommit (or any Git) repository.",
            "",
            "Commits the component manifests to <path>/<namespace>/gotk-components.yaml, installs them when the"
                    + " cluster has no synced Flux, writes the source secret, commits gotk-sync.yaml and"
                    + " kustomization.yaml, applies them, and waits until Flux has synced the branch head.",
            "Reruns are safe: with nothing new they change nothing.",
            "",
            "HTTPS CodeCommit URLs use IAM: the GitRepository gets provider: aws, so source-controller needs its own"
                    + " IAM role (IRSA or EKS Pod Identity) with codecommit:GitPull.",
            "SSH URLs need an RSA private key whose IAM SSH key ID is the URL's user.",
            "Without a cluster (no --kubeconfig, --context, --in-cluster or --eks-cluster), commits go to a local"
                    + " repository and the objects that would be applied are listed; with --dry-run nothing"
                    + " changes: the cluster and the repository are only read, for the conflicts a real run"
                    + " would refuse, and the files go to --export-dir.",
        },
        footer = {
            "",
            "Examples:",
            "  # HTTPS with IAM, to an EKS cluster by name",
            "  flux-codecommit bootstrap \\",
            "    --url https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet \\",
            "    --path clusters/prod --eks-cluster prod \\",
            "    --source-controller-role-arn arn:aws:iam::123456789012:role/flux-source",
            "  # SSH with a PEM key, through a kubeconfig context",
            "  host=git-codecommit.eu-west-1.amazonaws.com",
            "  flux-codecommit bootstrap \\",
            "    --url ssh://APKAEIBAERJR2EXAMPLE@$host/v1/repos/fleet \\",
            "    --private-key-file id_rsa --path clusters/staging --context staging",
            "  # Air-gapped: manifests and images from internal mirrors",
            "  flux-codecommit bootstrap --url ... \\",
            "    --manifests https://mirror.internal/flux/v2.9.4/manifests.tar.gz \\",
            "    --manifests-sha256 <sha256> --eks-cluster prod \\",
            "    --registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com/fluxcd",
        })
final class BootstrapCommand extends EngineCommand {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "Git repository URL.")
    String url;

    @Option(
            names = "--branch",
            defaultValue = "main",
            description = "Git branch (default: ${DEFAULT-VALUE}; an empty one is an error).")
    String branch;

    @Option(
            names = "--path",
            defaultValue = "",
            description =
                    "Path relative to the repository root; when specified the cluster sync will be scoped to this path.")
    String path;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "flux-system",
            description = "Namespace scope (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--secret-name",
            defaultValue = "flux-system",
            description = "Name of the source secret (default: ${DEFAULT-VALUE}).")
    String secretName;

    @Option(
            names = "--components",
            split = ",",
            description =
                    "List of components to install (default: source-controller,kustomize-controller,helm-controller,notification-controller).")
    List<String> components;

    @Option(
            names = "--components-extra",
            split = ",",
            description =
                    "Additional components: image-reflector-controller,image-automation-controller,source-watcher.")
    List<String> componentsExtra;

    @Option(
            names = "--interval",
            defaultValue = "1m",
            description = "Sync interval, a Go duration of at least 10s (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(
            names = "--author-name",
            defaultValue = "Flux",
            description = "Author name for Git commits (default: ${DEFAULT-VALUE}).")
    String authorName;

    @Option(names = "--author-email", defaultValue = "", description = "Author email for Git commits.")
    String authorEmail;

    @Option(
            names = "--commit-message-appendix",
            description = "String to add to the commit messages, e.g. '[ci skip]'.")
    String appendix;

    @Option(
            names = {"-v", "--flux-version"},
            defaultValue = InstallOptions.DEFAULT_VERSION,
            description = "Flux version (default: ${DEFAULT-VALUE}).")
    String version;

    @Option(
            names = "--manifests",
            paramLabel = "DIR|TARBALL|URL",
            description =
                    "Install manifests from a directory, a manifests.tar.gz, or its URL on a mirror, instead of the release.")
    String manifests;

    @Option(
            names = "--manifests-sha256",
            description = "Expected SHA-256 of the --manifests tarball or URL (64 hex digits).")
    String manifestsSha256;

    @Option(
            names = "--releases-url",
            defaultValue = ManifestsSource.DEFAULT_RELEASES,
            description = {"Base URL of Flux releases; default:", "${DEFAULT-VALUE}"})
    String releasesUrl;

    @Option(
            names = "--manifests-cache",
            description = "Where downloaded release manifests are kept, private to this user and verified on every"
                    + " use (default: ~/.cache/flux-codecommit/manifests).")
    String manifestsCache;

    @Option(
            names = "--registry",
            defaultValue = "ghcr.io/fluxcd",
            description = "Container registry where the toolkit images are published (default: ${DEFAULT-VALUE}).")
    String registry;

    @Option(
            names = "--image-pull-secret",
            description = "Kubernetes secret name used for pulling the toolkit images from a private registry.")
    String imagePullSecret;

    @Option(
            names = "--network-policy",
            defaultValue = "true",
            arity = "1",
            description =
                    "Deny ingress access to the toolkit controllers from other namespaces using network policies (default: ${DEFAULT-VALUE}).")
    boolean networkPolicy;

    @Option(
            names = "--watch-all-namespaces",
            defaultValue = "true",
            arity = "1",
            description = "Watch for custom resources in all namespaces (default: ${DEFAULT-VALUE}).")
    boolean watchAllNamespaces;

    @Option(
            names = "--log-level",
            defaultValue = "info",
            description = "Log level of the controllers: debug, info, error (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--toleration-keys", split = ",", description = "Toleration keys for the controllers' pods.")
    List<String> tolerationKeys;

    @Option(
            names = "--cluster-domain",
            defaultValue = "cluster.local",
            description = "Internal cluster domain (default: ${DEFAULT-VALUE}).")
    String clusterDomain;

    @Option(
            names = "--source-controller-role-arn",
            description =
                    "IAM role for source-controller's service account (IRSA), needed with HTTPS+IAM unless EKS Pod Identity"
                            + " provides one. Written to kustomization.yaml; on a rerun, leave it out to keep the"
                            + " role the repository holds.")
    String sourceControllerRoleArn;

    @Option(
            names = "--timeout",
            defaultValue = "5m",
            description = "Limit for each download of release manifests, and for the wait until Flux has synced"
                    + " the commit and its controllers are ready (default: ${DEFAULT-VALUE}). Git connections"
                    + " (2m each) and Kubernetes and AWS calls have limits of their own. A Go duration: 90s, 5m, 1h.")
    String timeout;

    @Option(
            names = "--accept-new-host-key",
            description = "Replace the SSH host key pinned in the cluster's source secret by the one the host shows"
                    + " now. Without it (or --known-hosts-file), a changed host key stops the bootstrap.")
    boolean acceptNewHostKey;

    @Option(
            names = "--force",
            description = "Bootstrap even if the cluster syncs another path, or replace the IRSA role the repository"
                    + " gives source-controller with --source-controller-role-arn.")
    boolean force;

    @Option(names = "--no-wait", description = "Do not wait for Flux to sync.")
    boolean noWait;

    @Option(names = "--kubeconfig", description = "Path to a kubeconfig.")
    String kubeconfig;

    @Option(
            names = "--context",
            description = "Kubeconfig context, which must exist (with --kubeconfig, or the files $KUBECONFIG lists,"
                    + " merged as kubectl does, or ~/.kube/config).")
    String context;

    @Option(names = "--in-cluster", description = "Use the pod's service account.")
    boolean inCluster;

    @Option(
            names = "--eks-cluster",
            description = "EKS cluster name: endpoint from DescribeCluster, IAM token like aws eks get-token.")
    String eksCluster;

    @Option(
            names = "--eks-region",
            description = "Region of the EKS cluster (default: --region, else the repository's).")
    String eksRegion;

    @Option(
            names = "--dry-run",
            description = "Change nothing: with a cluster, read it and the repository and refuse what a real run would;"
                    + " write the files to --export-dir and list the objects.")
    boolean dryRun;

    @Option(
            names = "--export-dir",
            description = "Where --dry-run (or a bootstrap without cluster of a remote URL) writes the files.")
    String exportDir;

    @Override
    public Integer call() {
        CodeCommitUrl parsed = CodeCommitUrl.parse(url);
        BootstrapRequest request = BootstrapRequest.builder(url)
                .branch(branch)
                .path(path)
                .identity(identityFor(url))
                .region(options.region)
                .basicAuth(options.username, options.password(environment))
                .sshKey(options.privateKey(), options.passphrase(environment))
                .knownHosts(options.knownHosts())
                .acceptNewHostKey(acceptNewHostKey)
                .install(new InstallOptions(
                        version,
                        namespace,
                        components,
                        componentsExtra,
                        registry,
                        imagePullSecret,
                        networkPolicy,
                        watchAllNamespaces,
                        logLevel,
                        tolerationKeys,
                        clusterDomain))
                .secretName(secretName)
                .interval(interval)
                .author(authorName, authorEmail)
                .commitMessageAppendix(appendix)
                .manifests(ManifestsSource.parse(manifests, manifestsSha256, releasesUrl))
                .manifestsCacheDirectory(manifestsCache)
                .sourceControllerRoleArn(sourceControllerRoleArn)
                .cluster(cluster(parsed))
                .dryRun(dryRun)
                .exportDirectory(exportDir)
                .force(force)
                .waitForHealth(!noWait)
                .timeout(GoDuration.parse(timeout, "--timeout"))
                .aws(options.aws())
                .build();
        PrintWriter out = spec.commandLine().getOut();
        BootstrapResult result =
                new Bootstrap(request, environment, Clock.systemUTC()).call(m -> out.println("  " + m));
        report(out, result);
        return 0;
    }

    private ClusterTarget cluster(CodeCommitUrl parsed) {
        String region = eksRegion != null ? eksRegion : options.region != null ? options.region : parsed.region();
        return ClusterTarget.select(eksCluster, region, inCluster, kubeconfig, null, context, environment);
    }

    static void report(PrintWriter out, BootstrapResult result) {
        out.println();
        Reports.lines(result).forEach(out::println);
        out.flush();
    }
}
