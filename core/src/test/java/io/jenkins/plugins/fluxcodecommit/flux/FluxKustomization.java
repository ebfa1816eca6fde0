package io.jenkins.plugins.fluxcodecommit.flux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kustomization {@code flux install} and {@code flux bootstrap} generate beside the release's
 * manifests before they run kustomize (flux2's pkg/manifestgen/install: namespace.yaml, labels.yaml,
 * node-selector.yaml, kustomization.yaml, roles/), written here from the same options so a test can
 * run the real kustomize on it. The oracle for {@link InstallManifests}.
 */
final class FluxKustomization {
    private FluxKustomization() {}

    /** Writes the files into {@code base}, which already holds the release's manifests. */
    static void write(Path base, InstallOptions o) throws IOException {
        String ns = o.namespace();
        Files.writeString(base.resolve("namespace.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels:
                    pod-security.kubernetes.io/warn: restricted
                    pod-security.kubernetes.io/warn-version: latest
                """.formatted(ns));
        Files.writeString(base.resolve("labels.yaml"), """
                apiVersion: builtin
                kind: LabelTransformer
                metadata:
                  name: labels
                labels:
                  app.kubernetes.io/instance: %s
                  app.kubernetes.io/version: "%s"
                  app.kubernetes.io/part-of: flux
                fieldSpecs:
                  - path: metadata/labels
                    create: true
                  - kind: Deployment
                    path: spec/template/metadata/labels
                    create: true
                """.formatted(ns, o.version()));
        StringBuilder pod = new StringBuilder("      nodeSelector:\n        kubernetes.io/os: linux\n");
        if (o.imagePullSecret() != null) {
            pod.append("      imagePullSecrets:\n        - name: ")
                    .append(o.imagePullSecret())
                    .append('\n');
        }
        if (!o.tolerationKeys().isEmpty()) {
            pod.append("      tolerations:\n");
            o.tolerationKeys()
                    .forEach(k ->
                            pod.append("        - key: \"").append(k).append("\"\n          operator: \"Exists\"\n"));
        }
        Files.writeString(
                base.resolve("node-selector.yaml"),
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: all\nspec:\n  template:\n    spec:\n" + pod);
        Files.writeString(base.resolve("kustomization.yaml"), kustomization(o));
        Files.writeString(base.resolve("roles/kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: %s
                resources:
                  - rbac.yaml
                nameSuffix: -%s
                """.formatted(ns, ns));
        String rbac = Files.readString(base.resolve("rbac.yaml"));
        Files.writeString(base.resolve("roles/rbac.yaml"), rbac.replace("flux-system", ns));
    }

    private static String kustomization(InstallOptions o) {
        String events = o.allComponents().contains("notification-controller")
                ? "http://notification-controller.$(RUNTIME_NAMESPACE).svc." + o.clusterDomain() + "./"
                : "";
        StringBuilder k = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
                .append("namespace: ")
                .append(o.namespace())
                .append("\ntransformers:\n  - labels.yaml\nresources:\n  - namespace.yaml\n");
        if (o.networkPolicy()) {
            k.append("  - policies.yaml\n");
        }
        k.append("  - roles\n");
        o.allComponents().forEach(c -> k.append("  - ").append(c).append(".yaml\n"));
        k.append("patches:\n- path: node-selector.yaml\n  target:\n    kind: Deployment\n");
        for (String c : o.allComponents()) {
            k.append("- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: ")
                    .append(c)
                    .append("\n  patch: |-\n");
            if (c.equals("notification-controller")) {
                replace(k, 0, "--watch-all-namespaces=" + o.watchAllNamespaces());
                replace(k, 1, "--log-level=" + o.logLevel());
                continue;
            }
            replace(k, 0, "--events-addr=" + events);
            replace(k, 1, "--watch-all-namespaces=" + o.watchAllNamespaces());
            replace(k, 2, "--log-level=" + o.logLevel());
            if (c.equals("source-controller") || c.equals("source-watcher")) {
                replace(k, 6, "--storage-adv-addr=" + c + ".$(RUNTIME_NAMESPACE).svc." + o.clusterDomain() + ".");
            }
        }
        if (o.allComponents().contains("source-watcher")) {
            k.append("- target:\n    kind: Deployment\n    name: \"(kustomize-controller|helm-controller)\"\n")
                    .append("  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/args/-\n")
                    .append("      value: --feature-gates=ExternalArtifact=true\n");
        }
        if (!o.registry().isEmpty()) {
            k.append("images:\n");
            o.allComponents()
                    .forEach(c -> k.append("  - name: fluxcd/")
                            .append(c)
                            .append("\n    newName: ")
                            .append(o.registry())
                            .append('/')
                            .append(c)
                            .append('\n'));
        }
        return k.toString();
    }

    private static void replace(StringBuilder k, int arg, String value) {
        k.append("    - op: replace\n      path: /spec/template/spec/containers/0/args/")
                .append(arg)
                .append("\n      value: ")
                .append(value)
                .append('\n');
    }
}
