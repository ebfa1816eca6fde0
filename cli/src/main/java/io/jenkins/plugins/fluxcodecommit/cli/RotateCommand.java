package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialFile;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.FleetFile;
import io.jenkins.plugins.fluxcodecommit.rotation.FleetRotation;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationLimits;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flux-codecommit rotate}: one cluster from flags, or a fleet from a file. */
@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Rotate the CodeCommit credential a cluster uses (an IAM access key or an IAM SSH key), in IAM, in the"
                    + " cluster and, when asked, in a local file, with never a moment without a working one.",
            "",
            "Safe to schedule: with --max-age-days a credential younger than that is left alone; an interrupted run"
                    + " resumes where it stopped; a failure puts the old credential back.",
            "The identity options (--access-key-id, --profile, --role-arn, ...) are the identity that calls IAM.",
        },
        footer = {
            "",
            "Targets:",
            "  --flux NS[/GITREPOSITORY[/SECRET]]  Flux's source (SSH keys): secret,",
            "                                      GitRepository URL and gotk-sync.yaml",
            "  --argo NS/SECRET                    an Argo CD repository secret (SSH keys)",
            "  --secret NS/NAME:FIELD=KEY[,...]    any secret; fields accessKeyId,",
            "                                      secretAccessKey, sshKeyId, privateKey,",
            "                                      publicKey, username, password;",
            "                                      const.KEY=VALUE writes a constant",
            "  --restart [NS/]deployment/NAME      a Deployment that reads a --secret at",
            "                                      start-up: restarted after the write;",
            "                                      Ready again, it is the evidence to",
            "                                      retire the old credential",
            "",
            "Retiring: the old credential is deactivated once every consumer is seen",
            "working with the new one (Flux Ready, an Argo CD Application refreshed, the",
            "restarted Deployments Ready, IAM's last use of a new access key); without",
            "that evidence it stays active for --deactivate-after, for a later run.",
            "",
            "Output: progress and the table (one row per cluster) on stdout; each failure",
            "on stderr as 'error: CLUSTER: PROBLEM' and 'fix: WHAT TO DO'. A fleet file is",
            "checked whole before the first cluster starts; then each cluster is its own row.",
            "Exit codes: 0 every cluster rotated, was not due or was planned; 2 an input to",
            "correct (a flag, the fleet file, a target or user that does not exist);",
            "3 access denied; 4 a remote failure. With several failures, the lowest of these.",
            "",
            "Examples:",
            "  flux-codecommit rotate --kind access-key --user prod_codecommit_user \\",
            "    --context prod --max-age-days 365 \\",
            "    --secret apps/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,\\",
            "secretAccessKey=AWS_SECRET_ACCESS_KEY,const.AWS_REGION=eu-west-1",
            "  flux-codecommit rotate --kind ssh-key --user prod_flux \\",
            "    --eks-cluster prod --region eu-west-1 --flux flux-system",
            "  flux-codecommit rotate --fleet fleet.yaml --concurrency 8 --max-age-days 365",
        })
final class RotateCommand extends EngineCommand {
    @Option(names = "--kind", description = "access-key, ssh-key or https-git-credential.")
    String kind;

    @Option(names = "--user", description = "The IAM user whose credential the cluster uses.")
    String user;

    @Option(names = "--name", description = "A name for the report (default: the context or cluster name).")
    String name;

    @Option(
            names = "--flux",
            arity = "0..1",
            fallbackValue = "flux-system",
            description = "Rotate Flux's source in this namespace.")
    List<String> flux = new ArrayList<>();

    @Option(names = "--argo", description = "An Argo CD repository secret, NS/SECRET.")
    List<String> argo = new ArrayList<>();

    @Option(names = "--secret", description = "A named secret with key mapping, NS/NAME:FIELD=KEY,...")
    List<String> secrets = new ArrayList<>();

    @Option(
            names = "--commit-url",
            description = "The repository's HTTPS URL, where an SSH rotation of --flux commits the new key ID as the"
                    + " identity that calls IAM (default: derived from a CodeCommit URL; over SSH with the new key"
                    + " for other hosts).")
    String commitUrl;

    @Option(
            names = "--restart",
            description = "A Deployment reading a --secret target at start-up, [NS/]deployment/NAME: restarted after"
                    + " the write (NS defaults to the --secret's when there is one).")
    List<String> restarts = new ArrayList<>();

    @Option(
            names = "--repository-url",
            description = "Repository to verify a new SSH key on, when no Flux target names it.")
    String repositoryUrl;

    @Option(names = "--kubeconfig", description = "Path to a kubeconfig.")
    String kubeconfig;

    @Option(
            names = "--context",
            description = "Kubeconfig context, which must exist (with --kubeconfig, or the files $KUBECONFIG lists,"
                    + " merged as kubectl does, or ~/.kube/config).")
    String context;

    @Option(names = "--in-cluster", description = "Use the pod's service account.")
    boolean inCluster;

    @Option(names = "--eks-cluster", description = "EKS cluster name.")
    String eksCluster;

    @Option(
            names = "--max-age-days",
            description = "Rotate only credentials older than this many days (1 or more; a fleet file's maxAgeDays"
                    + " wins).")
    Integer maxAgeDays;

    @Option(names = "--force", description = "Rotate whatever the age.")
    boolean force;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(
            names = "--delete-after",
            defaultValue = "168h",
            description = "Delete the old credential this long after deactivating it, in a later run (default: 168h, as"
                    + " the Jenkins step). '0s' deletes it at once; 'never' keeps it inactive.")
    String deleteAfter;

    @Option(
            names = "--deactivate-after",
            defaultValue = "24h",
            description = "Without evidence that every consumer uses the new credential, keep the old one active this"
                    + " long, for a later run to deactivate (default: ${DEFAULT-VALUE}); '0s' deactivates at once.")
    String deactivateAfter;

    @Option(
            names = "--verify-timeout",
            defaultValue = "2m",
            description = "How long to wait for a new credential to work, above zero (default: ${DEFAULT-VALUE}).")
    String verifyTimeout;

    @Option(
            names = "--write-credential",
            description = "Also write the new credential to this file (mode 600), for a caller's own store; its"
                    + " directory must exist and be writable (checked before any change).")
    Path writeCredential;

    @Option(names = "--fleet", description = "YAML file listing clusters (see docs/rotation.md).")
    Path fleet;

    @Option(
            names = "--concurrency",
            defaultValue = "4",
            description = "Clusters rotated at once, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
        CredentialSink sink = checkedOptions();
        AwsIdentity identity = options.identity(environment, false);
        List<RotationRequest> requests =
                fleet != null ? FleetFile.read(fleet, shared(identity)) : List.of(fromFlags(identity));
        PrintWriter out = spec.commandLine().getOut();
        List<RotationResult> results = new FleetRotation(requests, concurrency, environment, Clock.systemUTC())
                .call(m -> out.println("  " + m), r -> sink);
        out.println();
        out.print(FleetRotation.table(results));
        out.flush();
        return report(results);
    }

    /** Every option that can be checked without a cluster or IAM, before anything else happens. */
    private CredentialSink checkedOptions() {
        RotationLimits.concurrency(concurrency, "--concurrency");
        if (maxAgeDays != null) {
            RotationLimits.maxAgeDays(maxAgeDays, "--max-age-days");
        }
        RotationLimits.verifyTimeout(GoDuration.parse(verifyTimeout, "--verify-timeout"), "--verify-timeout");
        RotationLimits.deleteAfter(deleteAfter(), "--delete-after");
        RotationLimits.deleteAfter(deactivateAfter(), "--deactivate-after");
        if (fleet != null) {
            if (writeCredential != null) {
                throw new InvalidInputException(
                        "--write-credential holds one credential and cannot be used with --fleet.",
                        "Rotate the cluster whose credential you need in a file on its own.");
            }
            List<String> perCluster = perClusterOptions();
            if (!perCluster.isEmpty()) {
                throw new InvalidInputException(
                        String.join(", ", perCluster) + " name one cluster and cannot be used with --fleet.",
                        "Give each cluster's user, cluster and targets in the fleet file (docs/rotation.md);"
                                + " --kind, --region and --max-age-days apply to every cluster.");
            }
        }
        return writeCredential == null
                ? CredentialSink.none()
                : CredentialFile.at(writeCredential, "--write-credential");
    }

    private List<String> perClusterOptions() {
        List<String> given = new ArrayList<>();
        Map<String, Boolean> options = new LinkedHashMap<>();
        options.put("--user", user != null);
        options.put("--name", name != null);
        options.put("--flux", !flux.isEmpty());
        options.put("--argo", !argo.isEmpty());
        options.put("--secret", !secrets.isEmpty());
        options.put("--restart", !restarts.isEmpty());
        options.put("--commit-url", commitUrl != null);
        options.put("--repository-url", repositoryUrl != null);
        options.put("--kubeconfig", kubeconfig != null);
        options.put("--context", context != null);
        options.put("--in-cluster", inCluster);
        options.put("--eks-cluster", eksCluster != null);
        options.forEach((option, set) -> {
            if (set) {
                given.add(option);
            }
        });
        return given;
    }

    /**
     * Each failure's problem and fix on stderr, named after its cluster; the exit code of the most
     * actionable class: input (2) before access (3) before remote (4).
     */
    private int report(List<RotationResult> results) {
        PrintWriter err = spec.commandLine().getErr();
        int code = 0;
        for (RotationResult r : results) {
            if (r.outcome() != RotationResult.Outcome.FAILED || r.failure() == null) {
                continue;
            }
            err.println("error: " + r.name() + ": " + r.failure().problem());
            if (r.failure().fix() != null) {
                err.println("fix: " + r.failure().fix());
            }
            if (debug) {
                r.failure().printStackTrace(err);
            }
            int exit = Main.exitCode(r.failure());
            code = code == 0 ? exit : Math.min(code, exit);
        }
        err.flush();
        return code;
    }

    private Duration deactivateAfter() {
        return GoDuration.parse(deactivateAfter, "--deactivate-after");
    }

    private Duration deleteAfter() {
        return deleteAfter.equals("never") ? null : GoDuration.parse(deleteAfter, "--delete-after");
    }

    private FleetFile.Shared shared(AwsIdentity identity) {
        return new FleetFile.Shared(
                kind,
                options.region,
                maxAgeDays == null ? null : RotationLimits.maxAgeDays(maxAgeDays, "--max-age-days"),
                identity,
                force,
                dryRun,
                deleteAfter(),
                GoDuration.parse(verifyTimeout, "--verify-timeout"),
                options.aws(),
                environment,
                deactivateAfter());
    }

    private RotationRequest fromFlags(AwsIdentity identity) {
        List<RotationTarget> targets = new ArrayList<>();
        flux.forEach(f -> targets.add(((RotationTarget.FluxSource) fluxTarget(f)).withCommitUrl(commitUrl)));
        if (commitUrl != null && flux.isEmpty()) {
            throw new InvalidInputException(
                    "--commit-url is given without --flux.",
                    "Give it with the --flux source whose gotk-sync.yaml the SSH rotation commits to, or leave it out.");
        }
        argo.forEach(a -> {
            String[] p = split(a, "--argo");
            targets.add(new RotationTarget.ArgoRepository(p[0], p[1]));
        });
        secrets.forEach(s -> targets.add(secretTarget(s)));
        restarts.forEach(r -> attachRestart(targets, r));
        ClusterTarget cluster =
                ClusterTarget.select(eksCluster, options.region, inCluster, kubeconfig, null, context, environment);
        String label = name != null ? name : eksCluster != null ? eksCluster : context != null ? context : "cluster";
        return new RotationRequest(
                label,
                CredentialKind.parse(kind),
                user,
                identity,
                options.region,
                cluster,
                targets,
                repositoryUrl,
                maxAgeDays == null ? null : RotationLimits.maxAgeDays(maxAgeDays, "--max-age-days"),
                force,
                dryRun,
                deleteAfter(),
                GoDuration.parse(verifyTimeout, "--verify-timeout"),
                null,
                options.aws(),
                deactivateAfter());
    }

    /** Adds a Deployment to restart to the --secret target of its namespace. */
    private static void attachRestart(List<RotationTarget> targets, String spec) {
        String[] p = spec.split("/", -1);
        List<Integer> named = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i) instanceof RotationTarget.NamedSecret) {
                named.add(i);
            }
        }
        boolean shape = (p.length == 2 || p.length == 3)
                && java.util.Arrays.stream(p).noneMatch(String::isBlank)
                && p[p.length - 2].equals("deployment");
        if (!shape) {
            throw new InvalidInputException(
                    "--restart " + spec + " is not [NAMESPACE/]deployment/NAME.",
                    "Name a Deployment that reads the secret at start-up, e.g. --restart deployment/api or --restart"
                            + " apps/deployment/api (only Deployments are restarted).");
        }
        String namespace = p.length == 3 ? p[0] : null;
        for (int i : named) {
            var secret = (RotationTarget.NamedSecret) targets.get(i);
            if (namespace == null ? named.size() == 1 : secret.namespace().equals(namespace)) {
                List<String> all = new ArrayList<>(secret.restart());
                all.add(p[p.length - 1]);
                targets.set(i, secret.withRestart(all));
                return;
            }
        }
        throw new InvalidInputException(
                "--restart " + spec + " names no --secret target: "
                        + (namespace == null
                                ? named.size() + " --secret targets were given, so the namespace is needed."
                                : "no --secret in namespace " + namespace + "."),
                "Give the --secret the Deployment reads and, with several, the namespace: --restart"
                        + " NAMESPACE/deployment/NAME.");
    }

    private static RotationTarget fluxTarget(String spec) {
        String[] p = spec.split("/", -1);
        if (p.length > 3 || java.util.Arrays.stream(p).anyMatch(String::isBlank)) {
            throw new InvalidInputException(
                    "--flux " + spec + " is not NAMESPACE[/GITREPOSITORY[/SECRET]].",
                    "Write the namespace, optionally the GitRepository and its secret: --flux flux-system or"
                            + " --flux flux-system/flux-system/flux-system.");
        }
        return new RotationTarget.FluxSource(p[0], p.length > 1 ? p[1] : p[0], p.length > 2 ? p[2] : "flux-system");
    }

    private static RotationTarget secretTarget(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0 || spec.substring(colon + 1).isBlank()) {
            throw new InvalidInputException(
                    "--secret " + spec + " has no key mapping.",
                    "Write NS/NAME:FIELD=KEY,..., e.g. apps/codecommit:accessKeyId=AWS_ACCESS_KEY_ID,"
                            + "secretAccessKey=AWS_SECRET_ACCESS_KEY.");
        }
        String[] p = split(spec.substring(0, colon), "--secret");
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> constants = new LinkedHashMap<>();
        for (String pair : spec.substring(colon + 1).split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new InvalidInputException(
                        "'" + pair + "' in --secret " + spec + " is not FIELD=KEY.",
                        "Write FIELD=KEY pairs separated by commas, e.g. accessKeyId=AWS_ACCESS_KEY_ID.");
            }
            if (kv[0].startsWith("const.")) {
                constants.put(kv[0].substring(6), kv[1]);
            } else {
                keys.put(kv[0], kv[1]);
            }
        }
        return new RotationTarget.NamedSecret(p[0], p[1], keys, constants);
    }

    private static String[] split(String nsName, String option) {
        String[] p = nsName.split("/", -1);
        if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
            throw new InvalidInputException(
                    option + " " + nsName + " is not NAMESPACE/NAME.",
                    "Write it as NAMESPACE/NAME, e.g. apps/codecommit.");
        }
        return p;
    }
}
