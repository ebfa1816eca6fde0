package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * The sync objects of a bootstrap: the GitRepository that points Flux at the repository and the
 * Kustomization that applies the cluster's path, as {@code gotk-sync.yaml}; and the
 * {@code kustomization.yaml} that lists the two files.
 *
 * @param secretName the source secret the GitRepository references, or {@code null} for none (with
 *     {@code provider: aws} source-controller needs no secret: it signs with its own IAM role)
 * @param provider {@code aws} for HTTPS with IAM, else {@code null}
 * @param sourceControllerRoleArn an IAM role for source-controller's service account (IRSA), or {@code null}
 */
public record SyncManifests(
        String namespace,
        String url,
        String branch,
        String secretName,
        Duration interval,
        String path,
        String provider,
        String sourceControllerRoleArn) {

    /** The same manifests with the GitRepository referencing another secret, or none. */
    public SyncManifests withSecretName(String name) {
        return new SyncManifests(namespace, url, branch, name, interval, path, provider, sourceControllerRoleArn);
    }

    /** The same manifests with another IRSA role for source-controller, or none. */
    public SyncManifests withSourceControllerRoleArn(String roleArn) {
        return new SyncManifests(namespace, url, branch, secretName, interval, path, provider, roleArn);
    }

    /** {@code ./} plus the path without a leading {@code ./} or trailing slash, as Flux writes it. */
    public String kustomizationPath() {
        return normalizePath(path);
    }

    public static String normalizePath(String path) {
        String p = path == null ? "" : path.trim();
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        p = p.replaceAll("/{2,}", "/").replaceAll("^/+", "").replaceAll("/+$", "");
        return "./" + p;
    }

    public ObjectNode gitRepository() {
        ObjectNode o = Yaml.object();
        o.put("apiVersion", "source.toolkit.fluxcd.io/v1");
        o.put("kind", "GitRepository");
        o.putObject("metadata").put("name", namespace).put("namespace", namespace);
        ObjectNode spec = o.putObject("spec");
        spec.put("interval", GoDuration.format(interval));
        if (provider != null) {
            spec.put("provider", provider);
        }
        spec.putObject("ref").put("branch", branch);
        if (secretName != null) {
            spec.putObject("secretRef").put("name", secretName);
        }
        spec.put("url", url);
        return o;
    }

    public ObjectNode kustomization() {
        ObjectNode o = Yaml.object();
        o.put("apiVersion", "kustomize.toolkit.fluxcd.io/v1");
        o.put("kind", "Kustomization");
        o.putObject("metadata").put("name", namespace).put("namespace", namespace);
        ObjectNode spec = o.putObject("spec");
        spec.put("interval", "10m0s");
        spec.put("path", kustomizationPath());
        spec.put("prune", true);
        spec.putObject("sourceRef").put("kind", "GitRepository").put("name", namespace);
        return o;
    }

    public List<ObjectNode> objects() {
        return List.of(gitRepository(), kustomization());
    }

    /** The text of {@code gotk-sync.yaml}. */
    public String yaml() {
        return InstallManifests.GENERATED + "\n---\n" + GoYaml.write(gitRepository()) + "---\n"
                + GoYaml.write(kustomization());
    }

    /**
     * The text of a new {@code kustomization.yaml}: the two generated files, and, with an IRSA role
     * for source-controller, the patch that annotates its service account (Flux's documented way).
     */
    public String kustomizationYaml() {
        StringBuilder out = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources:\n- gotk-components.yaml\n- gotk-sync.yaml\n");
        if (sourceControllerRoleArn != null) {
            out.append("patches:\n").append(IrsaRole.patchItem(sourceControllerRoleArn));
        }
        return out.toString();
    }
}
