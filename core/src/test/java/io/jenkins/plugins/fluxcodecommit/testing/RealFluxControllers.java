package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.fluxcodecommit.git.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real source-controller and kustomize-controller, run as local processes against the test
 * API server and watching one namespace, as they run in a cluster: their own kubeconfig, free
 * loopback ports, a storage directory, and the artifact server's address for kustomize-controller
 * to download from. A {@link Kubelet} marks the namespace's Deployments ready, as the test API
 * server has no nodes; a controller's own Deployment only while its process is ready, and a
 * rollout restart of it restarts the process with the environment the Deployment declares
 * ({@link ControllerPod}). Closing stops both and removes their files; their logs are kept for a
 * failure's message until then.
 */
public final class RealFluxControllers implements AutoCloseable {
    private final Path dir;
    private final List<ControllerPod> pods = new ArrayList<>();
    private final Thread kubelet;
    private volatile boolean running = true;

    private RealFluxControllers(Path dir, KubernetesClient client, String namespace) {
        this.dir = dir;
        this.kubelet = new Thread(() -> kubelet(client, namespace), "kubelet-" + namespace);
        this.kubelet.setDaemon(true);
    }

    /**
     * Starts both controllers for {@code namespace}. {@code env} is added to their environment:
     * for {@code provider: aws}, the AWS identity and region, a proxy and a CA bundle.
     */
    public static RealFluxControllers start(
            KubeApiServer api, KubernetesClient client, String namespace, Map<String, String> env) {
        RealFlux flux = RealFlux.require();
        try {
            installCrds(client, flux);
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "flux-" + namespace);
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, api.kubeconfig("test"));
            RealFluxControllers c = new RealFluxControllers(dir, client, namespace);
            Map<String, String> environment = new HashMap<>(env);
            environment.put("KUBECONFIG", kubeconfig.toString());
            environment.put("RUNTIME_NAMESPACE", namespace);
            environment.put("HOME", dir.toString());
            String storage = "127.0.0.1:" + freePort();
            Files.createDirectories(dir.resolve("storage"));
            c.launch(
                    flux.sourceController(),
                    "source-controller",
                    environment,
                    "--storage-path=" + dir.resolve("storage"),
                    "--storage-addr=" + storage,
                    "--storage-adv-addr=" + storage,
                    "--artifact-retention-ttl=10m");
            c.launch(flux.kustomizeController(), "kustomize-controller", environment, "--no-remote-bases=true");
            c.kubelet.start();
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The controllers' CRDs, as a cluster has them before its controllers' pods start (a
     * controller started without them waits minutes for its caches, then exits). Applied as the
     * bootstrap applies them, so its own apply later is a no-op.
     */
    private static void installCrds(KubernetesClient client, RealFlux flux) throws IOException {
        for (String file : List.of("source-controller.yaml", "kustomize-controller.yaml")) {
            String text = Files.readString(flux.manifests().resolve(file));
            for (var doc : io.jenkins.plugins.fluxcodecommit.flux.Yaml.parseAll(text, file)) {
                if (!doc.path("kind").asText().equals("CustomResourceDefinition")) {
                    continue;
                }
                var crd = client.getKubernetesSerialization()
                        .convertValue(
                                doc, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(crd)
                        .fieldManager(io.jenkins.plugins.fluxcodecommit.kube.ClusterApply.FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply();
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .waitUntilCondition(
                                c -> c.getStatus() != null
                                        && c.getStatus().getConditions() != null
                                        && c.getStatus().getConditions().stream()
                                                .anyMatch(x -> x.getType().equals("Established")
                                                        && x.getStatus().equals("True")),
                                30,
                                java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private void launch(Path binary, String name, Map<String, String> env, String... extra) throws IOException {
        int health = freePort();
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--watch-all-namespaces=false",
                "--enable-leader-election=false",
                "--events-addr=",
                "--metrics-addr=127.0.0.1:" + freePort(),
                "--health-addr=127.0.0.1:" + health,
                "--log-encoding=console",
                "--log-level=debug",
                "--requeue-dependency=1s"));
        command.addAll(List.of(extra));
        ControllerPod pod = new ControllerPod(name, List.copyOf(command), env, dir.resolve(name + ".log"), health);
        pod.start(Map.of());
        pods.add(pod);
    }

    private void kubelet(KubernetesClient client, String namespace) {
        while (running) {
            try {
                for (ControllerPod pod : pods) {
                    pod.sync(client, namespace);
                }
                Kubelet.markDeploymentsReady(
                        client,
                        namespace,
                        name -> pods.stream().noneMatch(p -> p.name().equals(name) && !p.ready()));
            } catch (KubernetesClientException | IOException e) {
                // a conflict with a write of the controllers: next round
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until both controllers answer their readiness checks, as a benchmark does before its clock starts. */
    public void awaitReady(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pods.stream().allMatch(ControllerPod::ready)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The controllers did not become ready:\n" + logs());
            }
            Thread.sleep(100);
        }
    }

    /** Both controllers' logs, for a failure's message. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("source-controller", "kustomize-controller")) {
            try {
                Path log = dir.resolve(name + ".log");
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("--- ").append(name).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("--- ").append(name).append(": no log\n");
            }
        }
        return out.toString();
    }

    /** Whether a controller's log holds the text. */
    public boolean logged(String controller, String text) {
        try {
            return Files.readString(dir.resolve(controller + ".log")).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        kubelet.interrupt();
        pods.forEach(ControllerPod::stop);
        Directories.delete(dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
