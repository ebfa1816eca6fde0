package io.jenkins.plugins.fluxcodecommit.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.kube.KubeFailures;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What bootstrap reads and writes in a cluster besides applying manifests. */
public final class FluxCluster {
    // Flux's kinds by explicit definition: no API discovery, and a missing CRD reads as "absent".
    public static final ResourceDefinitionContext GIT_REPOSITORY =
            context("source.toolkit.fluxcd.io", "GitRepository", "gitrepositories");
    public static final ResourceDefinitionContext KUSTOMIZATION =
            context("kustomize.toolkit.fluxcd.io", "Kustomization", "kustomizations");

    private static ResourceDefinitionContext context(String group, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion("v1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    private final KubernetesClient client;
    private final String cluster;
    private final Redactor redactor;
    private final ProgressListener log;
    private final Clock clock;

    public FluxCluster(KubernetesClient client, String cluster, Redactor redactor, ProgressListener log, Clock clock) {
        this.client = client;
        this.cluster = cluster;
        this.redactor = redactor;
        this.log = log;
        this.clock = clock;
    }

    /** The Kustomization ns/ns, or empty when it (or its CRD) does not exist. */
    public Optional<ObjectNode> kustomization(String namespace) {
        return get(KUSTOMIZATION, namespace, namespace);
    }

    private Optional<ObjectNode> get(ResourceDefinitionContext type, String namespace, String name) {
        String kind = type.getKind();
        try {
            GenericKubernetesResource r = client.genericKubernetesResources(type)
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            return Optional.ofNullable(r).map(x -> (ObjectNode) Yaml.MAPPER.valueToTree(x));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw KubeFailures.translate(e, "read " + kind + " " + namespace + "/" + name, cluster, redactor);
        }
    }

    /**
     * The value of one key of a secret, or empty when the secret or the key does not exist: what an
     * earlier bootstrap pinned (the source secret's {@code known_hosts}).
     */
    public Optional<String> secretValue(String namespace, String name, String key) {
        try {
            Secret existing =
                    client.secrets().inNamespace(namespace).withName(name).get();
            if (existing == null
                    || existing.getData() == null
                    || existing.getData().get(key) == null) {
                return Optional.empty();
            }
            return Optional.of(decode(Map.of(key, existing.getData().get(key))).get(key));
        } catch (KubernetesClientException e) {
            throw KubeFailures.translate(e, "read Secret/" + namespace + "/" + name, cluster, redactor);
        } catch (IllegalArgumentException e) {
            throw new RemoteOperationException(
                    "The key " + key + " of Secret/" + namespace + "/" + name + " is not valid base64.",
                    "Repair or delete the secret's " + key + " key, then run again.");
        }
    }

    /**
     * Creates the secret, or updates it when its content differs; with {@code keepExisting} an
     * existing secret is left as it is.
     *
     * @return created, updated or unchanged
     */
    public String upsertSecret(String namespace, String name, SourceSecret content, boolean keepExisting) {
        String id = "Secret/" + namespace + "/" + name;
        try {
            Secret existing =
                    client.secrets().inNamespace(namespace).withName(name).get();
            Map<String, String> data = new LinkedHashMap<>();
            content.data()
                    .forEach((k, v) -> data.put(
                            k, Base64.getEncoder().encodeToString(v.reveal().getBytes(StandardCharsets.UTF_8))));
            if (existing == null) {
                SecretWrites.create(
                        client,
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                                .withType("Opaque")
                                .withData(data)
                                .build());
                log.info(id + " created (keys: " + content.keys() + ")");
                return "created";
            }
            Map<String, String> current = decode(existing.getData());
            if (keepExisting || content.sameAs(current)) {
                return "unchanged";
            }
            // Keys bootstrap does not write (a ca.crt added by hand) stay; the ones it writes are replaced,
            // and a passphrase no longer needed goes.
            Map<String, String> merged =
                    new LinkedHashMap<>(existing.getData() == null ? Map.of() : existing.getData());
            if (!content.data().containsKey("password") && content.data().containsKey("identity")) {
                merged.remove("password");
            }
            merged.putAll(data);
            existing.setData(merged);
            existing.setStringData(null);
            SecretWrites.update(client, existing);
            log.info(id + " updated (keys: " + content.keys() + ")");
            return "updated";
        } catch (KubernetesClientException e) {
            throw KubeFailures.translate(e, "write " + id, cluster, redactor);
        }
    }

    /** A secret as it is in the cluster: its type, decoded data and annotations. */
    public record ExistingSecret(String type, Map<String, String> data, Map<String, String> annotations) {
        public ExistingSecret {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }

        public ExistingSecret(String type, Map<String, String> data) {
            this(type, data, Map.of());
        }

        /** Whether it has the type Flux's source secrets have. */
        public boolean opaque() {
            return type == null || type.isBlank() || type.equals("Opaque");
        }
    }

    /** The secret, or empty when it does not exist. */
    public Optional<ExistingSecret> secret(String namespace, String name) {
        try {
            Secret existing =
                    client.secrets().inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(existing)
                    .map(s -> new ExistingSecret(
                            s.getType(), decode(s.getData()), s.getMetadata().getAnnotations()));
        } catch (KubernetesClientException e) {
            throw KubeFailures.translate(e, "read Secret/" + namespace + "/" + name, cluster, redactor);
        }
    }

    /**
     * Removes keys from the secret, and the secret itself when no key remains.
     *
     * @return {@code deleted} or {@code updated}
     */
    public String removeKeys(String namespace, String name, java.util.Set<String> keys) {
        String id = "Secret/" + namespace + "/" + name;
        try {
            Secret existing =
                    client.secrets().inNamespace(namespace).withName(name).get();
            Map<String, String> data = new LinkedHashMap<>(existing.getData() == null ? Map.of() : existing.getData());
            data.keySet().removeAll(keys);
            if (data.isEmpty()) {
                client.secrets().inNamespace(namespace).resource(existing).delete();
                log.info(id + " deleted: it held only " + new java.util.TreeSet<>(keys));
                return "deleted";
            }
            existing.setData(data);
            existing.setStringData(null);
            SecretWrites.update(client, existing);
            log.info(id + " updated: " + new java.util.TreeSet<>(keys) + " removed, "
                    + new java.util.TreeSet<>(data.keySet())
                    + " kept");
            return "updated";
        } catch (KubernetesClientException e) {
            throw KubeFailures.translate(e, "write " + id, cluster, redactor);
        }
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> out = new HashMap<>();
        if (data != null) {
            data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * Waits until Flux has synced the expected revision: the GitRepository, then the Kustomization,
     * then each component Deployment. A Ready=False condition fails at once with the controller's message.
     */
    public void waitHealthy(
            String namespace, List<String> components, String revision, Duration timeout, Duration poll) {
        Instant deadline = clock.instant().plus(timeout);
        waitReconciled(GIT_REPOSITORY, namespace, revision, "artifact", deadline, timeout, poll);
        waitReconciled(KUSTOMIZATION, namespace, revision, "lastAttemptedRevision", deadline, timeout, poll);
        for (String component : components) {
            waitDeployment(namespace, component, deadline, timeout, poll);
        }
    }

    /** A Ready condition as a controller reported it after handling a request. */
    public record Readiness(boolean ready, String message) {}

    /**
     * Asks source-controller to reconcile a GitRepository now, as {@code flux reconcile source git}
     * does (a merge patch of the annotation alone: the controller writes status all the time), and
     * waits until it has handled that request: its Ready condition then.
     */
    public Readiness reconcileSource(String namespace, String name, Duration timeout, Duration poll) {
        String token = clock.instant().toString();
        String id = "GitRepository/" + namespace + "/" + name;
        try {
            client.genericKubernetesResources(GIT_REPOSITORY)
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(
                            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                    io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"" + token + "\"}}}");
        } catch (KubernetesClientException e) {
            throw KubeFailures.translate(e, "request a reconcile of " + id, cluster, redactor);
        }
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Optional<ObjectNode> object = get(GIT_REPOSITORY, namespace, name);
            JsonNode status = object.map(o -> o.path("status")).orElse(null);
            if (status != null
                    && token.equals(status.path("lastHandledReconcileAt").asText(null))) {
                JsonNode ready = condition(status, "Ready");
                String state = ready == null ? "" : ready.path("status").asText();
                if (state.equals("True") || state.equals("False")) {
                    return new Readiness(
                            state.equals("True"),
                            redactor.redact(ready.path("message").asText("")));
                }
            }
            if (clock.instant().isAfter(deadline)) {
                throw new RemoteOperationException(
                        id + " did not handle the reconcile request within " + GoDuration.format(timeout) + ".",
                        "Check source-controller: kubectl -n " + namespace + " logs deploy/source-controller.");
            }
            sleep(poll);
        }
    }

    private void waitReconciled(
            ResourceDefinitionContext type,
            String namespace,
            String revision,
            String revisionField,
            Instant deadline,
            Duration timeout,
            Duration poll) {
        String kind = type.getKind();
        String id = kind + "/" + namespace + "/" + namespace;
        String last = "not found";
        while (true) {
            Optional<ObjectNode> object = get(type, namespace, namespace);
            if (object.isPresent()) {
                ObjectNode o = object.get();
                JsonNode status = o.path("status");
                long generation = o.path("metadata").path("generation").asLong();
                long observed = status.path("observedGeneration").asLong(-1);
                JsonNode ready = condition(status, "Ready");
                String actual = revisionField.equals("artifact")
                        ? status.path("artifact").path("revision").asText(null)
                        : status.path(revisionField).asText(null);
                if (o.path("spec").path("suspend").asBoolean(false)) {
                    throw new RemoteOperationException(id + " is suspended.", "Resume it (flux resume) and run again.");
                }
                if (observed == generation && ready != null) {
                    String message = redactor.redact(ready.path("message").asText(""));
                    if ("False".equals(ready.path("status").asText())) {
                        throw new RemoteOperationException(
                                id + " is not ready: " + message,
                                kind.equals("GitRepository")
                                        ? "source-controller could not fetch the repository: check its credentials"
                                                + " (the source secret, or for provider aws its IAM role and"
                                                + " codecommit:GitPull)."
                                        : "kustomize-controller could not apply the path: check the manifests there.");
                    }
                    if ("True".equals(ready.path("status").asText()) && revision.equals(actual)) {
                        log.info(id + " reconciled " + revision);
                        return;
                    }
                    last = "Ready=" + ready.path("status").asText() + " revision " + actual + ": " + message;
                } else {
                    last = "observedGeneration " + observed + " of " + generation;
                }
            }
            if (clock.instant().isAfter(deadline)) {
                throw new RemoteOperationException(
                        id + " did not reconcile " + revision + " within " + GoDuration.format(timeout) + " (last: "
                                + last + ").",
                        "Check the controllers: kubectl -n " + namespace + " get pods,gitrepositories,kustomizations;"
                                + " raise the timeout for slow clusters.");
            }
            sleep(poll);
        }
    }

    /** Waits until a Deployment's pods are all updated and ready, as after a rollout. */
    public void waitDeployment(String namespace, String name, Instant deadline, Duration timeout, Duration poll) {
        String id = "Deployment/" + namespace + "/" + name;
        while (true) {
            Deployment d;
            try {
                d = client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
            } catch (KubernetesClientException e) {
                throw KubeFailures.translate(e, "read " + id, cluster, redactor);
            }
            if (d != null && d.getStatus() != null) {
                int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                Integer ready = d.getStatus().getReadyReplicas();
                Integer updated = d.getStatus().getUpdatedReplicas();
                Long observed = d.getStatus().getObservedGeneration();
                // Ready and updated: after an upgrade, old pods being ready is not enough.
                if (observed != null
                        && observed >= d.getMetadata().getGeneration()
                        && ready != null
                        && ready >= want
                        && updated != null
                        && updated >= want) {
                    return;
                }
            }
            if (clock.instant().isAfter(deadline)) {
                throw new RemoteOperationException(
                        id + " is not ready after " + GoDuration.format(timeout) + ".",
                        "Check the pods: kubectl -n " + namespace + " describe deployment " + name
                                + " (images must be pullable from the cluster, e.g. from a registry mirror).");
            }
            sleep(poll);
        }
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteOperationException("Interrupted while waiting for Flux.", null);
        }
    }
}
