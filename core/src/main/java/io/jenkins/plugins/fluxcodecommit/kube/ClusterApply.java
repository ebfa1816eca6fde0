package io.jenkins.plugins.fluxcodecommit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side apply the way Flux applies its own manifests: field manager {@code flux}, conflicts
 * forced, cluster definitions (CRDs, Namespaces, ClusterRoles) first and CRDs waited on until
 * Established, then everything else in kind order.
 */
public final class ClusterApply {
    public static final String FIELD_MANAGER = "flux";

    /** What applying one object did. */
    public enum Change {
        CREATED,
        CONFIGURED,
        UNCHANGED
    }

    /** One applied object. */
    public record Applied(String id, Change change) {}

    private static final Set<String> CLUSTER_DEFINITIONS =
            Set.of("CustomResourceDefinition", "Namespace", "ClusterRole");
    private static final List<String> APPLY_ORDER = List.of(
            "CustomResourceDefinition",
            "Namespace",
            "ClusterRole",
            "ResourceQuota",
            "LimitRange",
            "PriorityClass",
            "ClusterRoleBinding",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "ConfigMap",
            "Secret",
            "Service",
            "NetworkPolicy",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "Job",
            "CronJob");

    private final KubernetesClient client;
    private final String cluster;
    private final ProgressListener log;
    private final Redactor redactor;
    private final Clock clock;
    private final Duration poll;

    public ClusterApply(
            KubernetesClient client,
            String cluster,
            ProgressListener log,
            Redactor redactor,
            Clock clock,
            Duration poll) {
        this.client = client;
        this.cluster = cluster;
        this.log = log;
        this.redactor = redactor;
        this.clock = clock;
        this.poll = poll;
    }

    /** Applies objects in two stages; waits up to {@code establishTimeout} for new CRDs. */
    public List<Applied> apply(List<ObjectNode> objects, Duration establishTimeout) {
        List<ObjectNode> definitions =
                sorted(objects.stream().filter(ClusterApply::isDefinition).toList());
        List<ObjectNode> rest =
                sorted(objects.stream().filter(o -> !isDefinition(o)).toList());
        List<Applied> applied = new ArrayList<>();
        for (ObjectNode o : definitions) {
            applied.add(applyOne(o));
        }
        List<String> crds = definitions.stream()
                .filter(o -> kind(o).equals("CustomResourceDefinition"))
                .map(o -> o.path("metadata").path("name").asText())
                .toList();
        if (!crds.isEmpty()) {
            waitEstablished(crds, establishTimeout);
        }
        for (ObjectNode o : rest) {
            applied.add(applyOne(o));
        }
        return applied;
    }

    /** The order objects are applied in, for plans. */
    public static List<ObjectNode> applyOrder(List<ObjectNode> objects) {
        List<ObjectNode> out = new ArrayList<>(
                sorted(objects.stream().filter(ClusterApply::isDefinition).toList()));
        out.addAll(sorted(objects.stream().filter(o -> !isDefinition(o)).toList()));
        return out;
    }

    private Applied applyOne(ObjectNode object) {
        GenericKubernetesResource resource =
                Serialization.unmarshal(object.toString(), GenericKubernetesResource.class);
        String id = id(object);
        try {
            GenericKubernetesResource before = client.resource(resource).get();
            GenericKubernetesResource after = client.resource(resource)
                    .fieldManager(FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
            Change change = before == null
                    ? Change.CREATED
                    : Objects.equals(
                                    before.getMetadata().getResourceVersion(),
                                    after.getMetadata().getResourceVersion())
                            ? Change.UNCHANGED
                            : Change.CONFIGURED;
            if (change != Change.UNCHANGED) {
                log.info(id + " " + change.name().toLowerCase(java.util.Locale.ROOT));
            }
            return new Applied(id, change);
        } catch (KubernetesClientException e) {
            throw KubeFailures.translate(e, "apply " + id, cluster, redactor);
        }
    }

    private void waitEstablished(List<String> crds, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        List<String> pending = new ArrayList<>(crds);
        while (true) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                String name = it.next();
                CustomResourceDefinition crd;
                try {
                    crd = client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(name)
                            .get();
                } catch (KubernetesClientException e) {
                    throw KubeFailures.translate(e, "read CustomResourceDefinition " + name, cluster, redactor);
                }
                if (crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null) {
                    for (CustomResourceDefinitionCondition c : crd.getStatus().getConditions()) {
                        if (c.getType().equals("NamesAccepted") && c.getStatus().equals("False")) {
                            throw new RemoteOperationException(
                                    "CustomResourceDefinition " + name + " was not accepted: " + c.getMessage(),
                                    "Another CRD may claim the same names; remove the conflict.");
                        }
                        if (c.getType().equals("Established") && c.getStatus().equals("True")) {
                            it.remove();
                            break;
                        }
                    }
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new RemoteOperationException(
                        "CustomResourceDefinitions " + pending + " were not Established within " + timeout + ".",
                        "Check the API server's health and retry.");
            }
            sleep(poll);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteOperationException("Interrupted while waiting for the cluster.", null);
        }
    }

    private static boolean isDefinition(ObjectNode o) {
        return CLUSTER_DEFINITIONS.contains(kind(o));
    }

    private static List<ObjectNode> sorted(List<ObjectNode> objects) {
        List<ObjectNode> copy = new ArrayList<>(objects);
        copy.sort(Comparator.comparingInt((ObjectNode o) -> {
                    int i = APPLY_ORDER.indexOf(kind(o));
                    return i < 0 ? APPLY_ORDER.size() : i;
                })
                .thenComparing(ClusterApply::id));
        return copy;
    }

    private static String kind(JsonNode o) {
        return o.path("kind").asText();
    }

    public static String id(ObjectNode o) {
        String ns = o.path("metadata").path("namespace").asText("");
        return o.path("kind").asText() + "/" + (ns.isEmpty() ? "" : ns + "/")
                + o.path("metadata").path("name").asText();
    }
}
