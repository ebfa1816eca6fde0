package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plays source-controller, kustomize-controller and the kubelet for one namespace of the test
 * API server, by writing the status the real ones would: the GitRepository's artifact is the
 * branch head read from the test Git server, the Kustomization applies it, Deployments become
 * ready. Modes make them fail on cue.
 */
public final class FluxControllers implements AutoCloseable {
    /** How the played controllers behave. */
    public enum Mode {
        HEALTHY,
        /** source-controller really fetches: ls-remote with the secret's key at the GitRepository's URL. */
        FETCHES_WITH_SECRET,
        SOURCE_AUTH_FAILS,
        KUSTOMIZATION_NEVER_READY
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String branch;
    private final Supplier<String> head;
    private final Mode mode;
    private final Thread thread;
    private volatile boolean running = true;

    public FluxControllers(KubernetesClient client, String namespace, String branch, Supplier<String> head, Mode mode) {
        this.client = client;
        this.namespace = namespace;
        this.branch = branch;
        this.head = head;
        this.mode = mode;
        this.thread = new Thread(this::loop, "flux-controllers-" + namespace);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (running) {
            try {
                tick();
            } catch (KubernetesClientException e) {
                // a conflict or a missing CRD: try again next tick
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void tick() {
        String revision = branch + "@sha1:" + head.get();
        var sources =
                client.genericKubernetesResources(FluxCluster.GIT_REPOSITORY).inNamespace(namespace);
        GenericKubernetesResource source = sources.withName(namespace).get();
        if (source != null && mode == Mode.FETCHES_WITH_SECRET) {
            fetchWithSecret(sources, source, revision);
        } else if (source != null) {
            Map<String, Object> status = new java.util.HashMap<>(
                    mode == Mode.SOURCE_AUTH_FAILS
                            ? Map.of(
                                    "observedGeneration",
                                    source.getMetadata().getGeneration(),
                                    "conditions",
                                    List.of(
                                            condition(
                                                    "False",
                                                    "GitOperationFailed",
                                                    "failed to checkout and determine revision: unable to clone: authentication required")))
                            : Map.of(
                                    "observedGeneration",
                                    source.getMetadata().getGeneration(),
                                    "artifact",
                                    Map.of("revision", revision),
                                    "conditions",
                                    List.of(condition(
                                            "True", "Succeeded", "stored artifact for revision '" + revision + "'"))));
            String requested = source.getMetadata().getAnnotations() == null
                    ? null
                    : source.getMetadata().getAnnotations().get("reconcile.fluxcd.io/requestedAt");
            if (requested != null) {
                status.put("lastHandledReconcileAt", requested);
            }
            if (!status.equals(source.getAdditionalProperties().get("status"))) {
                source.setAdditionalProperty("status", status);
                sources.resource(source).updateStatus();
            }
        }
        var kustomizations =
                client.genericKubernetesResources(FluxCluster.KUSTOMIZATION).inNamespace(namespace);
        GenericKubernetesResource kustomization =
                kustomizations.withName(namespace).get();
        if (kustomization != null && (mode == Mode.HEALTHY || mode == Mode.FETCHES_WITH_SECRET)) {
            Map<String, Object> status = Map.of(
                    "observedGeneration",
                    kustomization.getMetadata().getGeneration(),
                    "lastAppliedRevision",
                    revision,
                    "lastAttemptedRevision",
                    revision,
                    "conditions",
                    List.of(condition("True", "ReconciliationSucceeded", "Applied revision: " + revision)));
            if (!status.equals(kustomization.getAdditionalProperties().get("status"))) {
                kustomization.setAdditionalProperty("status", status);
                kustomizations.resource(kustomization).updateStatus();
            }
        }
        Kubelet.markDeploymentsReady(client, namespace);
    }

    @SuppressWarnings("unchecked")
    private void fetchWithSecret(
            io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                            GenericKubernetesResource,
                            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
                            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
                    sources,
            GenericKubernetesResource source,
            String revision) {
        Map<String, Object> spec =
                (Map<String, Object>) source.getAdditionalProperties().get("spec");
        Map<String, Object> old =
                (Map<String, Object>) source.getAdditionalProperties().getOrDefault("status", Map.of());
        String requested = source.getMetadata().getAnnotations() == null
                ? null
                : source.getMetadata().getAnnotations().get("reconcile.fluxcd.io/requestedAt");
        boolean fresh = source.getMetadata()
                        .getGeneration()
                        .equals(((Number) old.getOrDefault("observedGeneration", -1L)).longValue())
                && java.util.Objects.equals(requested, old.get("lastHandledReconcileAt"));
        if (fresh) {
            return;
        }
        String secretName = String.valueOf(((Map<String, Object>) spec.get("secretRef")).get("name"));
        var secret =
                client.secrets().inNamespace(namespace).withName(secretName).get();
        String message;
        boolean ok;
        try {
            java.util.function.Function<String, String> data = k -> new String(
                    java.util.Base64.getDecoder().decode(secret.getData().get(k)),
                    java.nio.charset.StandardCharsets.UTF_8);
            var auth = new io.jenkins.plugins.fluxcodecommit.git.GitAuth.SshKey(
                    io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.apply("identity")),
                    secret.getData().containsKey("password")
                            ? io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.apply("password"))
                            : null,
                    data.apply("known_hosts"));
            try (var git = io.jenkins.plugins.fluxcodecommit.git.GitAccess.builder(
                            io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl.parse(
                                    String.valueOf(spec.get("url"))),
                            auth)
                    .open()) {
                git.lsRemote();
            }
            ok = true;
            message = "stored artifact for revision '" + revision + "'";
        } catch (RuntimeException e) {
            ok = false;
            message = "failed to checkout and determine revision: " + e.getMessage();
        }
        Map<String, Object> status = new java.util.HashMap<>();
        status.put("observedGeneration", source.getMetadata().getGeneration());
        if (requested != null) {
            status.put("lastHandledReconcileAt", requested);
        }
        if (ok) {
            status.put("artifact", Map.of("revision", revision));
        }
        status.put(
                "conditions",
                List.of(condition(ok ? "True" : "False", ok ? "Succeeded" : "GitOperationFailed", message)));
        source.setAdditionalProperty("status", status);
        sources.resource(source).updateStatus();
    }

    private static Map<String, Object> condition(String status, String reason, String message) {
        return Map.of(
                "type",
                "Ready",
                "status",
                status,
                "reason",
                reason,
                "message",
                message,
                "lastTransitionTime",
                "2026-01-01T00:00:00Z");
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
