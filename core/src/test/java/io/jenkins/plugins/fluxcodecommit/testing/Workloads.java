package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What reads a rotated secret in a cluster without controllers: a Deployment whose rollout the
 * kubelet and the deployment controller would finish (played here: the test API server runs neither,
 * and a rollout that never becomes Ready must be possible on cue), and an application that signs AWS
 * requests with the access key it reads from the secret.
 */
public final class Workloads implements AutoCloseable {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "workloads");
        t.setDaemon(true);
        return t;
    });

    /** How the pods of a Deployment come up after a restart. */
    public enum Rollout {
        READY,
        NEVER_READY
    }

    private Workloads() {}

    /** Creates the Deployment and plays its rollouts: each new generation becomes Ready, or never does. */
    public static Workloads deployment(KubernetesClient k8s, String ns, String name, Rollout rollout) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example.invalid/app:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        k8s.apps().deployments().inNamespace(ns).resource(d).create();
        Workloads w = new Workloads();
        AtomicInteger first = new AtomicInteger();
        w.loop.scheduleWithFixedDelay(
                () -> {
                    try {
                        Deployment now = k8s.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .get();
                        long generation = now.getMetadata().getGeneration();
                        if (now.getStatus() != null
                                && Long.valueOf(generation)
                                        .equals(now.getStatus().getObservedGeneration())) {
                            return;
                        }
                        // The first generation comes up; later ones as asked.
                        boolean ready = rollout == Rollout.READY || first.getAndIncrement() == 0;
                        now.setStatus(new DeploymentStatusBuilder()
                                .withObservedGeneration(generation)
                                .withReplicas(1)
                                .withUpdatedReplicas(1)
                                .withReadyReplicas(ready ? 1 : 0)
                                .withAvailableReplicas(ready ? 1 : 0)
                                .build());
                        k8s.apps().deployments().inNamespace(ns).resource(now).updateStatus();
                    } catch (RuntimeException e) {
                        // A conflict with the rotation's restart: the next tick sees the new generation.
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        return w;
    }

    /**
     * An application that re-reads the secret's access key every 100 ms and calls IAM (moto's) with it,
     * so IAM records the key as used by a service other than STS; with {@code rereads} false it keeps the
     * key it read first, as a process that reads its environment once does.
     */
    public static Workloads keyUser(
            KubernetesClient k8s,
            MotoServer moto,
            String ns,
            String secret,
            Map<String, String> keys,
            boolean rereads) {
        Workloads w = new Workloads();
        AwsKeys[] held = {read(k8s, ns, secret, keys)};
        w.loop.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (rereads) {
                            held[0] = read(k8s, ns, secret, keys);
                        }
                        try (var iam = moto.iamAs(held[0])) {
                            iam.listUsers();
                        }
                    } catch (RuntimeException e) {
                        // A key deactivated under it: what a real application would log.
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        return w;
    }

    private static AwsKeys read(KubernetesClient k8s, String ns, String secret, Map<String, String> keys) {
        Map<String, String> data =
                k8s.secrets().inNamespace(ns).withName(secret).get().getData();
        return AwsKeys.of(decode(data.get(keys.get("accessKeyId"))), decode(data.get(keys.get("secretAccessKey"))));
    }

    private static String decode(String v) {
        return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
