package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One Flux controller's pod, played by a local process as a kubelet would run it: started with
 * the environment its Deployment's container declares ({@code env}, {@code envFrom} secrets,
 * resolved from the cluster) over the test's own, restarted when the Deployment's pod template
 * changes ({@code kubectl rollout restart}), and ready when its health endpoint says so.
 */
final class ControllerPod {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> baseEnv;
    private final Path log;
    private final int healthPort;
    private Process process;
    private String template;

    ControllerPod(String name, List<String> command, Map<String, String> baseEnv, Path log, int healthPort) {
        this.name = name;
        this.command = command;
        this.baseEnv = baseEnv;
        this.log = log;
        this.healthPort = healthPort;
    }

    String name() {
        return name;
    }

    synchronized void start(Map<String, String> podEnv) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("AWS_") || k.endsWith("_PROXY") || k.endsWith("_proxy"));
        builder.environment().putAll(baseEnv);
        builder.environment().putAll(podEnv);
        process = builder.start();
    }

    /** What a kubelet does on a new pod template: a new pod, with the environment it declares. */
    synchronized void sync(KubernetesClient client, String namespace) throws IOException {
        Deployment d = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (d == null) {
            return;
        }
        String now = String.valueOf(d.getSpec().getTemplate().getMetadata().getAnnotations());
        if (template == null) {
            template = now;
        } else if (!template.equals(now)) {
            template = now;
            stop();
            start(env(
                    client,
                    namespace,
                    d.getSpec().getTemplate().getSpec().getContainers().get(0)));
        }
    }

    /** Whether the process answers its readiness check. */
    boolean ready() {
        try {
            HttpResponse<Void> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> env(KubernetesClient client, String namespace, Container container) {
        Map<String, String> out = new HashMap<>();
        for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getSecretRef() != null) {
                out.putAll(secret(client, namespace, from.getSecretRef().getName()));
            }
        }
        for (EnvVar var : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (var.getValue() != null) {
                out.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                out.put(var.getName(), secret(client, namespace, ref.getName()).get(ref.getKey()));
            }
        }
        out.values().removeIf(Objects::isNull);
        return out;
    }

    private static Map<String, String> secret(KubernetesClient client, String namespace, String name) {
        var s = client.secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> out = new HashMap<>();
        if (s != null && s.getData() != null) {
            s.getData()
                    .forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
