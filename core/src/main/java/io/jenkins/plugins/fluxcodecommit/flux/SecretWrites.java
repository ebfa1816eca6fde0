package io.jenkins.plugins.fluxcodecommit.flux;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes Flux's source secret as {@code flux bootstrap} does: a plain create or update whose field
 * manager is {@value #FIELD_MANAGER} (flux's client names itself so), not the Kubernetes client
 * library's name. Then the secret's managed fields are the same whichever tool wrote it last, and
 * flux's next update of identical data, or ours after flux's, changes nothing, not even the
 * resource version. fabric8 sets a field manager only on server-side apply, so these requests are
 * made through its raw API with the {@code fieldManager} parameter the API server documents.
 */
final class SecretWrites {
    static final String FIELD_MANAGER = "flux";

    private SecretWrites() {}

    static void create(KubernetesClient client, Secret secret) {
        send(client, "POST", collection(secret), secret);
    }

    /** An update that fails with a conflict when the secret changed since it was read. */
    static void update(KubernetesClient client, Secret secret) {
        send(
                client,
                "PUT",
                collection(secret) + "/" + encode(secret.getMetadata().getName()),
                secret);
    }

    private static String collection(Secret secret) {
        return "/api/v1/namespaces/" + encode(secret.getMetadata().getNamespace()) + "/secrets";
    }

    private static void send(KubernetesClient client, String method, String path, Secret secret) {
        secret.setApiVersion("v1");
        secret.setKind("Secret");
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + path + "?fieldManager=" + FIELD_MANAGER;
        if (client.raw(url, method, secret) == null) {
            throw new KubernetesClientException(method + " " + path + " found no such object", 404, null);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
