package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import io.jenkins.plugins.fluxcodecommit.kube.KubeFailures;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The objects of one cluster a rotation reads and writes (secrets, Flux's GitRepository and
 * Kustomization), every API error translated into the engine's own with the cluster named.
 */
final class ClusterObjects {
    private final KubernetesClient client;
    private final String clusterName;
    private final Redactor redactor;
    private final RotationCalls calls;

    ClusterObjects(KubernetesClient client, String clusterName, Redactor redactor, RotationCalls calls) {
        this.client = client;
        this.clusterName = clusterName;
        this.redactor = redactor;
        this.calls = calls;
    }

    KubernetesClient client() {
        return client;
    }

    String clusterName() {
        return clusterName;
    }

    /** The target's secret, with a mutable annotation map; a missing one is an input error naming it. */
    Secret secret(RotationTarget t) {
        Secret s = call(
                () -> client.secrets()
                        .inNamespace(t.namespace())
                        .withName(t.secretName())
                        .get(),
                "read " + t.describe());
        if (s == null) {
            throw new InvalidInputException(
                    t.describe() + " does not exist: there is no secret " + t.namespace() + "/" + t.secretName() + ".",
                    "Check the target's namespace and name; rotation replaces a credential, it does not create the"
                            + " first one (bootstrap does).");
        }
        if (s.getMetadata().getAnnotations() == null) {
            s.getMetadata().setAnnotations(new HashMap<>());
        }
        return s;
    }

    /** Reads the target's secret, changes it and writes it back against the resourceVersion read. */
    void modify(RotationTarget t, UnaryOperator<Secret> change, String action) {
        Secret s = change.apply(secret(t));
        call(() -> client.secrets().inNamespace(t.namespace()).resource(s).update(), action);
    }

    GenericKubernetesResource gitRepository(RotationTarget.FluxSource flux) {
        GenericKubernetesResource repo = call(
                () -> client.genericKubernetesResources(FluxCluster.GIT_REPOSITORY)
                        .inNamespace(flux.namespace())
                        .withName(flux.gitRepository())
                        .get(),
                "read " + flux.describe());
        if (repo == null) {
            throw new InvalidInputException(
                    "There is no GitRepository " + flux.namespace() + "/" + flux.gitRepository() + ".",
                    "Check the Flux target's namespace and name (flux get sources git -A).");
        }
        return repo;
    }

    String url(RotationTarget.FluxSource flux) {
        return String.valueOf(spec(gitRepository(flux)).get("url"));
    }

    Optional<GenericKubernetesResource> get(ResourceDefinitionContext type, String namespace, String name) {
        return Optional.ofNullable(call(
                () -> client.genericKubernetesResources(type)
                        .inNamespace(namespace)
                        .withName(name)
                        .get(),
                "read " + type.getKind() + " " + namespace + "/" + name));
    }

    List<GenericKubernetesResource> list(ResourceDefinitionContext type, String namespace) {
        try {
            return client.genericKubernetesResources(type)
                    .inNamespace(namespace)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                // The kind is not installed in this cluster: nothing of it to find.
                return List.of();
            }
            throw KubeFailures.translate(e, "list " + type.getPlural() + " in " + namespace, clusterName, redactor);
        }
    }

    /** A JSON merge patch, which needs no resourceVersion: for objects their controllers write all the time. */
    void mergePatch(ResourceDefinitionContext type, String namespace, String name, String json, String action) {
        call(
                () -> client.genericKubernetesResources(type)
                        .inNamespace(namespace)
                        .withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), json),
                action);
    }

    <T> T call(Supplier<T> call, String action) {
        return calls.around(action, !action.startsWith("read "), () -> {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                throw translate(e, action);
            }
        });
    }

    /** A write whose API error the caller handles itself (a conflict to retry). */
    <T> T write(Supplier<T> call, String action) {
        return calls.around(action, true, call);
    }

    RuntimeException translate(KubernetesClientException e, String action) {
        return KubeFailures.translate(e, action, clusterName, redactor);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        return status instanceof Map ? (Map<String, Object>) status : Map.of();
    }

    /** The condition of a type in a status, if any. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> condition(Map<String, Object> status, String type) {
        if (status.get("conditions") instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    return Optional.of((Map<String, Object>) m);
                }
            }
        }
        return Optional.empty();
    }

    /** A secret's data, decoded. */
    static Map<String, String> data(Secret s) {
        Map<String, String> out = new HashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, decode(v)));
        }
        return out;
    }

    static String decode(String base64) {
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    static void put(Map<String, String> data, String key, String value) {
        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
}
