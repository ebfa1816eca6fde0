package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet file (docs/rotation.md): the clusters to rotate, read whole and checked before the first
 * cluster starts. Every key is one this reader knows (a misspelt {@code maxAgeDay} would otherwise
 * be ignored and rotate on every run); every error names the line.
 */
public final class FleetFile {
    static final List<String> TOP = List.of("defaults", "clusters");
    static final List<String> DEFAULTS = List.of("kind", "maxAgeDays", "region", "kubeconfig");
    static final List<String> CLUSTER = List.of(
            "name",
            "user",
            "kind",
            "maxAgeDays",
            "eksCluster",
            "region",
            "kubeconfig",
            "context",
            "inCluster",
            "repositoryUrl",
            "targets");
    static final List<String> TARGET = List.of("flux", "argo", "secret");
    static final List<String> FLUX = List.of("namespace", "gitRepository", "secret", "commitUrl");
    static final List<String> ARGO = List.of("namespace", "secret");
    static final List<String> SECRET = List.of("namespace", "name", "keys", "constants", "restart");

    /**
     * What every cluster shares, from the command line or another caller. The file's own
     * {@code kind}, {@code region} and {@code maxAgeDays} (a cluster's, then the defaults') win over
     * these.
     */
    public record Shared(
            String kind,
            String region,
            Duration maxAge,
            AwsIdentity identity,
            boolean force,
            boolean dryRun,
            Duration deleteAfter,
            Duration verifyTimeout,
            AwsSettings aws,
            Map<String, String> environment,
            Duration deactivateAfter) {
        /** With the default grace period before deactivation. */
        public Shared(
                String kind,
                String region,
                Duration maxAge,
                AwsIdentity identity,
                boolean force,
                boolean dryRun,
                Duration deleteAfter,
                Duration verifyTimeout,
                AwsSettings aws,
                Map<String, String> environment) {
            this(kind, region, maxAge, identity, force, dryRun, deleteAfter, verifyTimeout, aws, environment, null);
        }
    }

    private final String origin;
    private final Shared shared;

    private FleetFile(String origin, Shared shared) {
        this.origin = origin;
        this.shared = shared;
    }

    /** Reads and checks the file: one request per cluster, or an error naming the line. */
    public static List<RotationRequest> read(Path file, Shared shared) {
        String origin = "The fleet file " + file;
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(origin + " is a directory.", "Give the path of the fleet YAML file.");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(origin + " does not exist.", "Check the path.");
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(origin + " is not UTF-8 text.", "Save it as UTF-8 YAML.");
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read " + origin + ".", "Check that the file is readable.");
        }
        return parse(text, "fleet file " + file.getFileName(), shared);
    }

    /** As {@link #read}, from text; {@code origin} names the text in messages. */
    public static List<RotationRequest> parse(String text, String origin, Shared shared) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return new FleetFile(origin, shared).requests(YamlNode.parse(body, origin));
    }

    private List<RotationRequest> requests(YamlNode root) {
        if (!root.isMap()) {
            throw new InvalidInputException(
                    origin + (root.isNull() ? " is empty" : " holds " + root.describe())
                            + ", not a mapping with 'clusters'.",
                    "Start the file with 'clusters:' and a list of clusters (docs/rotation.md).");
        }
        FleetMapping top = new FleetMapping(root, "the file", origin);
        top.known(TOP);
        FleetMapping defaults = top.has("defaults") ? top.mapping("defaults") : FleetMapping.empty("defaults", origin);
        defaults.known(DEFAULTS);
        List<YamlNode> clusters = top.has("clusters") ? top.list("clusters") : List.of();
        if (clusters.isEmpty()) {
            throw new InvalidInputException(
                    origin + " lists no clusters.",
                    "Add a 'clusters' list, one entry per cluster with name, user, targets (docs/rotation.md).");
        }
        List<RotationRequest> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            YamlNode node = clusters.get(i);
            FleetMapping c = FleetMapping.of(node, "cluster " + (i + 1), origin);
            String name = c.text("name");
            if (name != null && !name.isBlank()) {
                c = FleetMapping.of(node, "cluster '" + name + "'", origin);
            }
            c.known(CLUSTER);
            if (name == null || name.isBlank()) {
                throw c.error("has no name", "Give each cluster a name: it labels the report's row.");
            }
            Integer first = names.putIfAbsent(name, node.line());
            if (first != null) {
                throw c.error("uses a name already given at line " + first, "Give each cluster its own name.");
            }
            out.add(request(name, c, defaults));
        }
        return out;
    }

    private RotationRequest request(String name, FleetMapping c, FleetMapping defaults) {
        String user = c.text("user");
        if (user == null || user.isBlank()) {
            throw c.error(
                    "has no user",
                    "Give 'user': the IAM user whose credential the cluster uses, e.g. " + name + "_codecommit_user.");
        }
        String kindText = first(c.text("kind"), defaults.text("kind"), shared.kind());
        if (kindText == null) {
            throw c.error(
                    "has no kind", "Give 'kind' (access-key, ssh-key or https-git-credential) here or in 'defaults'.");
        }
        CredentialKind kind = c.within(c.has("kind") ? "kind" : null, () -> CredentialKind.parse(kindText));
        String region = first(c.text("region"), defaults.text("region"), shared.region());
        Duration maxAge = c.has("maxAgeDays")
                ? c.days("maxAgeDays")
                : defaults.has("maxAgeDays") ? defaults.days("maxAgeDays") : shared.maxAge();
        ClusterTarget cluster = cluster(c, defaults, region);
        List<RotationTarget> targets = targets(c);
        RotationRequest request = c.within(
                null,
                () -> new RotationRequest(
                        name,
                        kind,
                        user.strip(),
                        shared.identity(),
                        region,
                        cluster,
                        targets,
                        c.text("repositoryUrl"),
                        maxAge,
                        shared.force(),
                        shared.dryRun(),
                        shared.deleteAfter(),
                        shared.verifyTimeout(),
                        null,
                        shared.aws(),
                        shared.deactivateAfter()));
        c.within(null, () -> {
            request.validate();
            return request;
        });
        return request;
    }

    private ClusterTarget cluster(FleetMapping c, FleetMapping defaults, String region) {
        String kubeconfig = first(c.text("kubeconfig"), defaults.text("kubeconfig"), null);
        if (kubeconfig != null && !Files.isRegularFile(Path.of(kubeconfig))) {
            throw c.error(
                    "names the kubeconfig " + kubeconfig + ", which is not a file",
                    "Give the path of an existing kubeconfig (relative paths start where the command runs).");
        }
        ClusterTarget cluster = c.within(
                null,
                () -> ClusterTarget.select(
                        c.text("eksCluster"),
                        region,
                        c.bool("inCluster"),
                        kubeconfig,
                        null,
                        c.text("context"),
                        shared.environment()));
        if (cluster == null) {
            throw c.error(
                    "names no cluster",
                    "Give 'eksCluster' (with 'region'), 'kubeconfig' and/or 'context', or 'inCluster: true'.");
        }
        return cluster;
    }

    private List<RotationTarget> targets(FleetMapping c) {
        if (!c.has("targets") || c.list("targets").isEmpty()) {
            throw c.error(
                    "has no targets",
                    "List where the credential lives under 'targets': '- flux: {namespace: flux-system}', '- argo:"
                            + " {secret: NAME}' or '- secret: {namespace: NS, name: NAME, keys: {...}}'.");
        }
        List<RotationTarget> out = new ArrayList<>();
        List<YamlNode> items = c.list("targets");
        for (int i = 0; i < items.size(); i++) {
            FleetMapping t = FleetMapping.of(items.get(i), "target " + (i + 1) + " of " + c.where(), origin);
            t.known(TARGET);
            if (t.keys().size() != 1) {
                throw t.error(
                        "names " + (t.keys().isEmpty() ? "no kind of target" : "several: " + t.keys()),
                        "Give one of flux, argo, secret per list item ('- flux: ...').");
            }
            out.add(target(t, t.keys().get(0)));
        }
        return out;
    }

    private RotationTarget target(FleetMapping t, String type) {
        FleetMapping m = t.isNull(type) ? FleetMapping.empty(type + " of " + t.where(), origin) : t.mapping(type);
        switch (type) {
            case "flux" -> {
                m.known(FLUX);
                String ns = first(m.text("namespace"), "flux-system", null);
                return new RotationTarget.FluxSource(
                        ns,
                        first(m.text("gitRepository"), ns, null),
                        first(m.text("secret"), "flux-system", null),
                        m.text("commitUrl"));
            }
            case "argo" -> {
                m.known(ARGO);
                String secret = m.text("secret");
                if (secret == null) {
                    throw t.error("names no Argo CD secret", "Give 'secret': the name of the repository secret.");
                }
                return new RotationTarget.ArgoRepository(first(m.text("namespace"), "argocd", null), secret);
            }
            default -> {
                m.known(SECRET);
                if (m.text("namespace") == null || m.text("name") == null) {
                    throw t.error("names no secret", "Give 'namespace' and 'name' of the secret.");
                }
                FleetMapping keys =
                        m.has("keys") ? m.mapping("keys") : FleetMapping.empty("keys of " + t.where(), origin);
                keys.known(RotationTarget.NamedSecret.FIELDS);
                FleetMapping constants =
                        m.has("constants") ? m.mapping("constants") : FleetMapping.empty("constants", origin);
                List<String> restart = new java.util.ArrayList<>();
                if (m.has("restart")) {
                    for (YamlNode d : m.list("restart")) {
                        if (!(d.value() instanceof YamlNode.Scalar s)
                                || s.text().isBlank()) {
                            throw t.error(
                                    "has a restart entry that is " + d.describe() + ", not a Deployment name",
                                    "List the Deployments that read the secret at start-up: 'restart: [api, worker]'.");
                        }
                        restart.add(s.text().strip());
                    }
                }
                return new RotationTarget.NamedSecret(
                        m.text("namespace"), m.text("name"), keys.texts(), constants.texts(), restart);
            }
        }
    }

    private static String first(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
