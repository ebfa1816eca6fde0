package io.jenkins.plugins.fluxcodecommit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.GoDuration;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialSink;
import io.jenkins.plugins.fluxcodecommit.rotation.FleetRotation;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationRequest;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationResult;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Option(names = "--max-age-days", description = "Rotate only credentials older than this many days.")
    Integer maxAgeDays;

    @Option(names = "--force", description = "Rotate whatever the age.")
    boolean force;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(
            names = "--delete-after",
            defaultValue = "0s",
            description =
                    "Delete the old credential this long after deactivating it, in a later run (default: at once)."
                            + " 'never' keeps it inactive.")
    String deleteAfter;

    @Option(
            names = "--verify-timeout",
            defaultValue = "2m",
            description = "How long to wait for a new credential to work (default: ${DEFAULT-VALUE}).")
    String verifyTimeout;

    @Option(
            names = "--write-credential",
            description = "Also write the new credential to this file (mode 600), for a caller's own store.")
    Path writeCredential;

    @Option(names = "--fleet", description = "YAML file listing clusters (see docs/rotation.md).")
    Path fleet;

    @Option(
            names = "--concurrency",
            defaultValue = "4",
            description = "Clusters rotated at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
        AwsIdentity identity = options.identity(environment, false);
        if (fleet != null && writeCredential != null) {
            throw new InvalidInputException(
                    "--write-credential holds one credential and cannot be used with --fleet.",
                    "Rotate the cluster whose credential you need in a file on its own.");
        }
        List<RotationRequest> requests = fleet != null ? fromFleet(identity) : List.of(fromFlags(identity));
        PrintWriter out = spec.commandLine().getOut();
        List<RotationResult> results = new FleetRotation(requests, concurrency, environment, Clock.systemUTC())
                .call(m -> out.println("  " + m), r -> writeCredential == null ? CredentialSink.none() : this::write);
        out.println();
        out.print(FleetRotation.table(results));
        out.flush();
        return results.stream().anyMatch(r -> r.outcome() == RotationResult.Outcome.FAILED) ? Main.EXIT_REMOTE : 0;
    }

    private void write(io.jenkins.plugins.fluxcodecommit.rotation.NewCredential c) {
        try {
            String content = c.kind() == CredentialKind.ACCESS_KEY
                    ? "AWS_ACCESS_KEY_ID=" + c.id() + "\nAWS_SECRET_ACCESS_KEY="
                            + c.secret().reveal() + "\n"
                    : c.secret().reveal();
            Path temp = Files.createTempFile(
                    writeCredential.toAbsolutePath().getParent(),
                    ".credential",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content);
            Files.move(
                    temp,
                    writeCredential,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "Cannot write " + writeCredential + ": " + e.getMessage(),
                    "Give a writable path; the cluster already holds the new credential.");
        }
    }

    private RotationRequest fromFlags(AwsIdentity identity) {
        List<RotationTarget> targets = new ArrayList<>();
        flux.forEach(f -> targets.add(fluxTarget(f)));
        argo.forEach(a -> {
            String[] p = split(a, "--argo");
            targets.add(new RotationTarget.ArgoRepository(p[0], p[1]));
        });
        secrets.forEach(s -> targets.add(secretTarget(s)));
        ClusterTarget cluster = cluster(eksCluster, kubeconfig, context, inCluster, options.region);
        String label = name != null ? name : eksCluster != null ? eksCluster : context != null ? context : "cluster";
        return request(label, kind, user, identity, cluster, targets, repositoryUrl, maxAgeDays);
    }

    private RotationRequest request(
            String label,
            String kindText,
            String iamUser,
            AwsIdentity identity,
            ClusterTarget cluster,
            List<RotationTarget> targets,
            String repo,
            Integer maxAge) {
        return new RotationRequest(
                label,
                CredentialKind.parse(kindText),
                iamUser,
                identity,
                options.region,
                cluster,
                targets,
                repo,
                maxAge == null ? null : Duration.ofDays(maxAge),
                force,
                dryRun,
                deleteAfter.equals("never") ? null : GoDuration.parse(deleteAfter, "--delete-after"),
                GoDuration.parse(verifyTimeout, "--verify-timeout"),
                null,
                options.aws());
    }

    private List<RotationRequest> fromFleet(AwsIdentity identity) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(fleet.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(
                    "Cannot read the fleet file " + fleet + ": " + e.getMessage(),
                    "Give a YAML file with a 'clusters' list (docs/rotation.md).");
        }
        JsonNode defaults = root.path("defaults");
        List<RotationRequest> out = new ArrayList<>();
        for (JsonNode c : root.path("clusters")) {
            String label = text(c, "name", null);
            List<RotationTarget> targets = new ArrayList<>();
            for (JsonNode t : c.path("targets")) {
                if (t.has("flux")) {
                    targets.add(new RotationTarget.FluxSource(
                            text(t.get("flux"), "namespace", "flux-system"),
                            text(t.get("flux"), "gitRepository", text(t.get("flux"), "namespace", "flux-system")),
                            text(t.get("flux"), "secret", "flux-system")));
                } else if (t.has("argo")) {
                    targets.add(new RotationTarget.ArgoRepository(
                            text(t.get("argo"), "namespace", "argocd"), text(t.get("argo"), "secret", null)));
                } else if (t.has("secret")) {
                    JsonNode s = t.get("secret");
                    Map<String, String> keys = new LinkedHashMap<>();
                    s.path("keys")
                            .fields()
                            .forEachRemaining(
                                    e -> keys.put(e.getKey(), e.getValue().asText()));
                    Map<String, String> constants = new LinkedHashMap<>();
                    s.path("constants")
                            .fields()
                            .forEachRemaining(
                                    e -> constants.put(e.getKey(), e.getValue().asText()));
                    targets.add(new RotationTarget.NamedSecret(
                            text(s, "namespace", null), text(s, "name", null), keys, constants));
                }
            }
            ClusterTarget cluster = cluster(
                    text(c, "eksCluster", null),
                    text(c, "kubeconfig", null),
                    text(c, "context", null),
                    c.path("inCluster").asBoolean(false),
                    text(c, "region", options.region));
            Integer maxAge = c.has("maxAgeDays")
                    ? Integer.valueOf(c.get("maxAgeDays").asInt())
                    : defaults.has("maxAgeDays")
                            ? Integer.valueOf(defaults.get("maxAgeDays").asInt())
                            : maxAgeDays;
            out.add(request(
                    label,
                    text(c, "kind", text(defaults, "kind", kind)),
                    text(c, "user", null),
                    identity,
                    cluster,
                    targets,
                    text(c, "repositoryUrl", null),
                    maxAge));
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(
                    "The fleet file " + fleet + " lists no clusters.", "Add a 'clusters' list.");
        }
        return out;
    }

    private ClusterTarget cluster(String eks, String kubeconfigPath, String ctx, boolean pod, String region) {
        return ClusterTarget.select(eks, region, pod, kubeconfigPath, null, ctx, environment);
    }

    private static RotationTarget fluxTarget(String spec) {
        String[] p = spec.split("/");
        return new RotationTarget.FluxSource(p[0], p.length > 1 ? p[1] : p[0], p.length > 2 ? p[2] : "flux-system");
    }

    private static RotationTarget secretTarget(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new InvalidInputException(
                    "--secret " + spec + " has no key mapping.", "Write NS/NAME:accessKeyId=KEY,secretAccessKey=KEY.");
        }
        String[] p = split(spec.substring(0, colon), "--secret");
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> constants = new LinkedHashMap<>();
        for (String pair : spec.substring(colon + 1).split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) {
                throw new InvalidInputException(
                        "'" + pair + "' in --secret is not FIELD=KEY.", "Write FIELD=KEY pairs.");
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
        String[] p = nsName.split("/");
        if (p.length != 2) {
            throw new InvalidInputException(
                    option + " " + nsName + " is not NAMESPACE/NAME.", "Write it as NAMESPACE/NAME.");
        }
        return p;
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node != null && node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }
}
