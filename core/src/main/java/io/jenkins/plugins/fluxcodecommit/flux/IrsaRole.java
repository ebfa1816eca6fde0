package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * source-controller's IRSA role, decided from one source of truth: the patch in the repository's
 * {@code kustomization.yaml}. kustomize-controller applies that file on every sync, so what Git
 * holds is what the service account ends up with; bootstrap only ever agrees with it or changes it
 * there, together with the cluster.
 *
 * <ul>
 *   <li>no role given: the role Git holds stays (and is what an install annotates);
 *   <li>the role Git holds, or a role where Git has none: written to Git and to the cluster;
 *   <li>another role than Git's: refused, unless forced, which replaces it in Git and the cluster.
 * </ul>
 */
public final class IrsaRole {
    static final String ANNOTATION = "eks.amazonaws.com/role-arn";
    private static final String JSON_PATCH_PATH = "/metadata/annotations/eks.amazonaws.com~1role-arn";
    private static final String SERVICE_ACCOUNT = "source-controller";
    private static final Pattern PATCHES_KEY = Pattern.compile("(?m)^patches:[ \\t]*(\\[[ \\t]*\\])?[ \\t]*$");
    private static final Pattern ITEM_INDENT = Pattern.compile("(?m)^([ \\t]*)- ");

    private final String inGit;
    private final String arn;

    private IrsaRole(String inGit, String arn) {
        this.inGit = inGit;
        this.arn = arn;
    }

    /** Without a repository to read (export to a directory): the role given, or none. */
    public static IrsaRole given(String requested) {
        return new IrsaRole(null, requested);
    }

    /**
     * Decides the role from the repository's file and the role given.
     *
     * @param file the file's path in the repository, for messages
     * @param text the file's content, or {@code null} when the repository has none yet
     * @param sibling reads a file next to it by relative path ({@code null} when missing), for patches by path
     */
    public static IrsaRole decide(
            String file,
            String text,
            Function<String, String> sibling,
            String requested,
            boolean force,
            ProgressListener log) {
        if (text == null) {
            return new IrsaRole(null, requested);
        }
        Set<String> roles = rolesIn(text, file, sibling);
        if (roles.size() > 1) {
            throw new InvalidInputException(
                    file + " patches source-controller's service account with several IAM roles: " + roles + ".",
                    "Keep one " + ANNOTATION + " patch for source-controller in " + file + ".");
        }
        String inGit = roles.isEmpty() ? null : roles.iterator().next();
        if (requested == null) {
            if (inGit != null) {
                log.info("source-controller keeps the IRSA role " + inGit + " that " + file
                        + " holds: the repository is the source of truth for it");
            }
            return new IrsaRole(inGit, inGit);
        }
        if (inGit == null) {
            log.info("Adding the IRSA role " + requested + " for source-controller to " + file);
        } else if (!inGit.equals(requested)) {
            if (!force) {
                throw new InvalidInputException(
                        file + " gives source-controller the IRSA role " + inGit + ", not " + requested
                                + ". Bootstrapping would change the role Flux fetches the repository with.",
                        "Leave the role out to keep " + inGit + ", or pass force to replace it in Git and"
                                + " in the cluster.");
            }
            log.warn("Replacing source-controller's IRSA role " + inGit + " with " + requested + " in " + file
                    + " (forced); running source-controller pods take it when they restart");
        }
        return new IrsaRole(inGit, requested);
    }

    /** The role source-controller's service account carries after this bootstrap, or {@code null}. */
    public String arn() {
        return arn;
    }

    /** The role the repository held before, or {@code null}. */
    public String inGit() {
        return inGit;
    }

    /**
     * The {@code kustomization.yaml} to have in the repository.
     *
     * @param current what the checkout holds now ({@code null} when absent); it may differ from what
     *     was decided on when a lost push race brought in another writer's change
     * @param fresh the file for a repository that has none
     */
    public String kustomization(String current, String fresh) {
        if (current == null) {
            return fresh;
        }
        if (arn == null) {
            return current;
        }
        Set<String> roles = rolesIn(current, "kustomization.yaml", path -> null);
        if (roles.contains(arn) && roles.size() == 1) {
            return current;
        }
        if (!roles.isEmpty()) {
            String out = current;
            for (String role : roles) {
                out = out.replace(role, arn);
            }
            return out;
        }
        return withPatch(current, arn);
    }

    /** The {@code patches:} item that annotates source-controller's service account, as Flux documents it. */
    static String patchItem(String roleArn) {
        return "- patch: |\n"
                + "    apiVersion: v1\n"
                + "    kind: ServiceAccount\n"
                + "    metadata:\n"
                + "      name: source-controller\n"
                + "      annotations:\n"
                + "        " + ANNOTATION + ": " + roleArn + "\n"
                + "  target:\n"
                + "    kind: ServiceAccount\n"
                + "    name: source-controller\n";
    }

    private static String withPatch(String text, String roleArn) {
        String body = text.endsWith("\n") ? text : text + "\n";
        Matcher key = PATCHES_KEY.matcher(body);
        if (!key.find()) {
            return body + "patches:\n" + patchItem(roleArn);
        }
        if (key.group(1) != null) {
            return body.substring(0, key.start()) + "patches:\n" + patchItem(roleArn) + body.substring(key.end() + 1);
        }
        int after = key.end() + 1;
        Matcher item = ITEM_INDENT.matcher(body);
        String indent = item.find(after) ? item.group(1) : "";
        String patch = patchItem(roleArn).replaceAll("(?m)^", indent);
        return body.substring(0, after) + patch + body.substring(after);
    }

    /** Every IRSA role the file's patches give source-controller's service account. */
    static Set<String> rolesIn(String text, String file, Function<String, String> sibling) {
        Set<String> roles = new LinkedHashSet<>();
        List<ObjectNode> docs = Yaml.parseAll(text, file);
        if (docs.isEmpty()) {
            return roles;
        }
        ObjectNode root = docs.get(0);
        for (JsonNode p : root.path("patches")) {
            String patch = p.hasNonNull("patch")
                    ? p.path("patch").asText()
                    : p.hasNonNull("path") ? sibling.apply(p.path("path").asText()) : null;
            if (patch != null) {
                collect(patch, p.path("target"), file, roles);
            }
        }
        for (JsonNode p : root.path("patchesStrategicMerge")) {
            String patch = p.asText().contains("\n") ? p.asText() : sibling.apply(p.asText());
            if (patch != null) {
                collect(patch, root.missingNode(), file, roles);
            }
        }
        return roles;
    }

    private static void collect(String patch, JsonNode target, String file, Set<String> roles) {
        boolean targetsUs = "ServiceAccount".equals(target.path("kind").asText("ServiceAccount"))
                && SERVICE_ACCOUNT.equals(target.path("name").asText(SERVICE_ACCOUNT));
        JsonNode node;
        try {
            node = Yaml.MAPPER.readTree(patch);
        } catch (java.io.IOException e) {
            throw new InvalidInputException(
                    file + " has a patch that is not valid YAML: "
                            + e.getMessage().lines().findFirst().orElse("") + ".",
                    "Fix the patch in " + file + "; kustomize-controller cannot apply it either.");
        }
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            if (!targetsUs || target.isMissingNode()) {
                return;
            }
            for (JsonNode op : node) {
                if (JSON_PATCH_PATH.equals(op.path("path").asText()) && op.hasNonNull("value")) {
                    roles.add(op.path("value").asText());
                } else if ("/metadata/annotations".equals(op.path("path").asText())
                        && op.path("value").hasNonNull(ANNOTATION)) {
                    roles.add(op.path("value").path(ANNOTATION).asText());
                }
            }
            return;
        }
        boolean isUs = "ServiceAccount".equals(node.path("kind").asText())
                && SERVICE_ACCOUNT.equals(node.path("metadata").path("name").asText(SERVICE_ACCOUNT));
        JsonNode role = node.path("metadata").path("annotations").path(ANNOTATION);
        if (isUs && targetsUs && role.isTextual()) {
            roles.add(role.asText());
        }
    }
}
