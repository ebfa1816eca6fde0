package io.jenkins.plugins.fluxcodecommit.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A kubeconfig as kubectl reads it: one file, the files of a {@code KUBECONFIG} list merged, or
 * content. As in kubectl, the first file to define a context, cluster or user wins, the current
 * context is that of the first file that sets one, and files of a list that do not exist are
 * skipped. Choosing a context checks that it, its cluster and its user exist: fabric8 alone falls
 * back to another context when the one asked for is missing, and so to another cluster.
 */
final class MergedKubeconfig {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int LISTED = 20;

    /** The files read, in order, as fabric8 parsed them (it resolves relative paths against each). */
    private final List<Config> parsed;
    /** What the user gave, for messages: a file, the files read, or "the kubeconfig content". */
    private final String origin;
    /** How to list the contexts with kubectl, for fixes. */
    private final String getContexts;

    private final Map<String, NamedContext> contexts = new TreeMap<>();
    private final Map<String, NamedCluster> clusters = new TreeMap<>();
    private final Map<String, NamedAuthInfo> users = new TreeMap<>();
    private final String currentContext;

    private MergedKubeconfig(List<Config> parsed, String origin, String getContexts) {
        this.parsed = List.copyOf(parsed);
        this.origin = origin;
        this.getContexts = getContexts;
        String current = null;
        for (Config c : parsed) {
            // Entries without a body are skipped, as fabric8 skips them when it builds the client.
            for (NamedContext x : list(c.getContexts())) {
                if (x.getName() != null && x.getContext() != null) {
                    contexts.putIfAbsent(x.getName(), x);
                }
            }
            for (NamedCluster x : list(c.getClusters())) {
                if (x.getName() != null && x.getCluster() != null) {
                    clusters.putIfAbsent(x.getName(), x);
                }
            }
            for (NamedAuthInfo x : list(c.getUsers())) {
                if (x.getName() != null && x.getUser() != null) {
                    users.putIfAbsent(x.getName(), x);
                }
            }
            if (current == null
                    && c.getCurrentContext() != null
                    && !c.getCurrentContext().isBlank()) {
                current = c.getCurrentContext();
            }
        }
        this.currentContext = current;
    }

    /** The kubeconfig a target names: its content, or its files merged. */
    static MergedKubeconfig of(ClusterTarget.Kubeconfig target) {
        return target.content() != null ? parse(target.content()) : read(target.files());
    }

    /** Kubeconfig content, such as a Jenkins credential's. */
    static MergedKubeconfig parse(Secret content) {
        String origin = "the kubeconfig content";
        String text = content.reveal();
        Config config =
                text.isBlank() ? new Config() : model(origin, text, () -> KubeConfigUtils.parseConfigFromString(text));
        return new MergedKubeconfig(List.of(config), origin, "kubectl config get-contexts --kubeconfig FILE");
    }

    /**
     * One kubeconfig file, or the files of a {@code KUBECONFIG} list merged; files of a list that
     * do not exist are skipped, as kubectl skips them.
     */
    static MergedKubeconfig read(List<String> files) {
        if (files.isEmpty()) {
            throw new InvalidInputException(
                    "KUBECONFIG is set but names no kubeconfig file.",
                    "Set KUBECONFIG to one or more files separated by '" + File.pathSeparator
                            + "', or unset it to use ~/.kube/config.");
        }
        List<Config> parsed = new ArrayList<>();
        List<String> read = new ArrayList<>();
        for (String file : files) {
            Path path = Path.of(file);
            if (!Files.exists(path) && files.size() > 1) {
                continue;
            }
            parsed.add(readFile(path, files.size() > 1));
            read.add(file);
        }
        if (parsed.isEmpty()) {
            throw new InvalidInputException(
                    "None of the kubeconfig files KUBECONFIG lists exists: " + String.join(", ", files) + ".",
                    "Fix KUBECONFIG, or give the kubeconfig file to use.");
        }
        String origin = read.size() == 1
                ? "the kubeconfig " + read.get(0)
                : "the kubeconfig files " + String.join(", ", read) + " (merged from KUBECONFIG)";
        String getContexts = files.size() == 1
                ? "kubectl config get-contexts --kubeconfig " + files.get(0)
                : "KUBECONFIG=" + String.join(File.pathSeparator, files) + " kubectl config get-contexts";
        return new MergedKubeconfig(parsed, origin, getContexts);
    }

    private static Config readFile(Path path, boolean inList) {
        String origin = "The kubeconfig " + path;
        String from = inList ? " (listed in KUBECONFIG)" : "";
        if (!Files.exists(path)) {
            throw new InvalidInputException(
                    origin + from + " cannot be read: it does not exist.",
                    "Give the path of an existing kubeconfig file (kubectl config view --kubeconfig FILE reads it).");
        }
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(
                    origin + from + " is a directory, not a kubeconfig file.",
                    "Give the kubeconfig file itself, e.g. " + path.resolve("config") + ".");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(
                    origin + from + " is not text (it is not UTF-8).",
                    "Give a kubeconfig file: YAML with clusters, contexts and users.");
        } catch (IOException e) {
            throw new InvalidInputException(
                    origin + from + " cannot be read: " + (e.getMessage() == null ? "access denied" : e.getMessage())
                            + ".",
                    "Give the path of a kubeconfig file this user may read.");
        }
        if (text.isBlank()) {
            return new Config();
        }
        return model(origin + from, text, () -> KubeConfigUtils.parseConfig(path.toFile()));
    }

    /** Parses with fabric8 after a plain YAML read that gives a message with the line, and no content. */
    private static Config model(String origin, String text, java.util.function.Supplier<Config> fabric8) {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(
                    origin + " is not valid YAML" + where(e) + ".",
                    "Give a kubeconfig file: YAML with clusters, contexts and users (kubectl config view shows one).");
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new Config();
        }
        if (!node.isObject()) {
            throw new InvalidInputException(
                    origin + " is not a kubeconfig: it is YAML, but not a mapping with clusters, contexts and users.",
                    "Give a kubeconfig file (kubectl config view shows one).");
        }
        for (String key : List.of("clusters", "contexts", "users")) {
            if (node.has(key) && !node.get(key).isArray() && !node.get(key).isNull()) {
                throw new InvalidInputException(
                        origin + " is not a kubeconfig: its '" + key + "' is not a list.",
                        "Write " + key + " as a list of entries with a name.");
            }
        }
        try {
            return fabric8.get();
        } catch (RuntimeException e) {
            String field = "";
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                    field = " at "
                            + m.getPath().stream()
                                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                                    .collect(Collectors.joining("."))
                                    .replace(".[", "[");
                    break;
                }
            }
            throw new InvalidInputException(
                    origin + " is not a kubeconfig: a value has the wrong type" + field + ".",
                    "Check the file against kubectl config view's output.");
        }
    }

    /** The line and the parser's problem, never the offending text (it may hold a token). */
    private static String where(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                return " (line " + (y.getProblemMark().getLine() + 1) + ": " + y.getProblem() + ")";
            }
        }
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    /**
     * The context to use: the one asked for, else the current one; either way it exists, and so do
     * its cluster (with a server) and its user.
     *
     * @param requested {@code null} for the current context
     */
    String context(String requested) {
        String name = requested;
        if (name == null) {
            if (currentContext == null) {
                throw new InvalidInputException(
                        capitalized(origin) + " sets no current-context, and no context was given (" + contextsList()
                                + ").",
                        "Give the context to use (--context, or the step's context); " + getContexts + " lists them.");
            }
            if (!contexts.containsKey(currentContext)) {
                throw new InvalidInputException(
                        "The current-context '" + currentContext + "' of " + origin() + " is not one of its contexts ("
                                + contextsList() + ").",
                        "Give the context to use (--context, or the step's context), or fix current-context"
                                + " (kubectl config use-context NAME).");
            }
            name = currentContext;
        } else if (!contexts.containsKey(name)) {
            throw new InvalidInputException(
                    "There is no context '" + name + "' in " + origin() + " (" + contextsList() + ").",
                    "Give one of its contexts; " + getContexts + " lists them.");
        }
        var context = contexts.get(name).getContext();
        String cluster = context.getCluster();
        if (cluster == null || cluster.isBlank()) {
            throw new InvalidInputException(
                    "The context '" + name + "' of " + origin() + " names no cluster.",
                    "Set the context's cluster (kubectl config set-context " + name + " --cluster NAME).");
        }
        if (!clusters.containsKey(cluster)) {
            throw new InvalidInputException(
                    "The context '" + name + "' of " + origin() + " names the cluster '" + cluster
                            + "', which it does not define (" + listed("clusters", clusters) + ").",
                    "Add the cluster (kubectl config set-cluster " + cluster + " --server URL), or point the"
                            + " context at one of its clusters.");
        }
        String server = clusters.get(cluster).getCluster().getServer();
        if (server == null || server.isBlank()) {
            throw new InvalidInputException(
                    "The cluster '" + cluster + "' of " + origin() + " has no server URL.",
                    "Set the API server's URL (kubectl config set-cluster " + cluster + " --server URL).");
        }
        String user = context.getUser();
        if (user == null || user.isBlank()) {
            throw new InvalidInputException(
                    "The context '" + name + "' of " + origin() + " names no user, so nothing would authenticate"
                            + " to the cluster.",
                    "Set the context's user (kubectl config set-context " + name + " --user NAME).");
        }
        if (!users.containsKey(user)) {
            throw new InvalidInputException(
                    "The context '" + name + "' of " + origin() + " names the user '" + user
                            + "', which it does not define (" + listed("users", users) + ").",
                    "Add the user's credentials (kubectl config set-credentials " + user + "), or point the context"
                            + " at one of its users.");
        }
        return name;
    }

    /**
     * fabric8's client configuration for a context {@link #context} returned. Exec-based users run
     * their command here.
     */
    io.fabric8.kubernetes.client.Config clientConfig(String context) {
        var config = io.fabric8.kubernetes.client.Config.empty();
        // The context exists (checked): fabric8's own merge then takes it, with the same precedence.
        KubeConfigUtils.merge(config, context, parsed.toArray(Config[]::new));
        return config;
    }

    /** The server URL of a context {@link #context} returned. */
    String server(String context) {
        return clusters.get(contexts.get(context).getContext().getCluster())
                .getCluster()
                .getServer();
    }

    String origin() {
        return origin;
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private String contextsList() {
        return listed("contexts", contexts);
    }

    private static String listed(String what, Map<String, ?> names) {
        if (names.isEmpty()) {
            return "it defines no " + what;
        }
        List<String> all = new ArrayList<>(names.keySet());
        String shown = all.stream().limit(LISTED).collect(Collectors.joining(", "));
        return "its " + what + ": " + shown + (all.size() > LISTED ? " and " + (all.size() - LISTED) + " more" : "");
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
