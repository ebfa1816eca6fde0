package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What a kubelet and the Deployment controller would report, which the test API server has
 * neither of: every Deployment of a namespace whose status lags its generation becomes ready with
 * all its replicas, with the conditions the Deployment controller sets on a completed rollout
 * (Available, and Progressing for reason NewReplicaSetAvailable), which kstatus, and so
 * {@code flux bootstrap}'s health check, requires. The controllers themselves run as local
 * processes, or are played.
 */
public final class Kubelet {
    private Kubelet() {}

    public static void markDeploymentsReady(KubernetesClient client, String namespace) {
        markDeploymentsReady(client, namespace, name -> true);
    }

    /** The same for the Deployments whose pods {@code running} says are up. */
    public static void markDeploymentsReady(
            KubernetesClient client, String namespace, java.util.function.Predicate<String> running) {
        for (Deployment d :
                client.apps().deployments().inNamespace(namespace).list().getItems()) {
            if (!running.test(d.getMetadata().getName())) {
                continue;
            }
            if (d.getStatus() == null
                    || d.getStatus().getReadyReplicas() == null
                    || !d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())) {
                int replicas =
                        d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                d.setStatus(new DeploymentStatusBuilder()
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .withReplicas(replicas)
                        .withReadyReplicas(replicas)
                        .withUpdatedReplicas(replicas)
                        .withAvailableReplicas(replicas)
                        .addNewCondition()
                        .withType("Available")
                        .withStatus("True")
                        .withReason("MinimumReplicasAvailable")
                        .endCondition()
                        .addNewCondition()
                        .withType("Progressing")
                        .withStatus("True")
                        .withReason("NewReplicaSetAvailable")
                        .endCondition()
                        .build());
                client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
            }
        }
    }
}
