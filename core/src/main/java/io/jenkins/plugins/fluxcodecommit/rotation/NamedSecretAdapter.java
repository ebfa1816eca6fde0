package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.flux.FluxCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any secret, with the key names to write. Evidence: the Deployments named to restart (as
 * {@code kubectl rollout restart} does) are Ready again after the write; or, for an access key,
 * IAM reports the new key used after the write (GetAccessKeyLastUsed). Otherwise there is none.
 */
final class NamedSecretAdapter extends TargetAdapter {
    /**
     * How long a run looks for IAM's report of the new key's use: IAM reports it within seconds at best
     * and hours at worst, so a longer wait mostly delays the fall-back to the grace period.
     */
    static final Duration EVIDENCE_WINDOW = Duration.ofSeconds(10);

    private final RotationTarget.NamedSecret named;

    NamedSecretAdapter(RotationTarget.NamedSecret named, ClusterObjects kube, RotationContext ctx) {
        super(kube, ctx);
        this.named = named;
    }

    @Override
    RotationTarget target() {
        return named;
    }

    @Override
    void check(boolean resuming) {
        checkMapping(ClusterObjects.data(secret()).keySet());
        for (String deployment : named.restart()) {
            if (kube.call(
                            () -> kube.client()
                                    .apps()
                                    .deployments()
                                    .inNamespace(named.namespace())
                                    .withName(deployment)
                                    .get(),
                            "read Deployment " + named.namespace() + "/" + deployment)
                    == null) {
                throw new InvalidInputException(
                        "There is no Deployment " + named.namespace() + "/" + deployment + " to restart after writing "
                                + named.describe() + ".",
                        "Name a Deployment in the secret's namespace (kubectl -n " + named.namespace()
                                + " get deployments).");
            }
        }
    }

    /**
     * Every data key the mapping names for this kind is in the secret: a typo (accessKeyId=AccessKeyId
     * where the secret has accessKeyID) would otherwise add a key nothing reads beside the old one.
     */
    private void checkMapping(java.util.Set<String> keys) {
        List<String> present = keys.stream().sorted().toList();
        List<String> fields = new ArrayList<>(RotationTarget.NamedSecret.required(ctx.kind()));
        if (ctx.kind() == CredentialKind.SSH_KEY) {
            fields.add("publicKey");
        }
        for (String field : fields) {
            String key = named.keys().get(field);
            if (key != null && !present.contains(key)) {
                String near = Suggestion.nearest(key, present);
                throw new InvalidInputException(
                        named.describe() + " has no data key '" + key + "' (mapped from " + field + "); its keys are "
                                + present + ".",
                        (near == null
                                        ? "Map " + field + " to one of the secret's keys"
                                        : "Did you mean " + field + "=" + near + "? Map " + field
                                                + " to the key that holds it")
                                + "; rotation replaces a credential in place and adds no key beside the old one.");
            }
        }
    }

    private String key(String field) {
        return named.keys().get(field);
    }

    @Override
    String heldId() {
        return data().get(key(
                switch (ctx.kind()) {
                    case ACCESS_KEY -> "accessKeyId";
                    case SSH_KEY -> "sshKeyId";
                    case HTTPS_GIT_CREDENTIAL -> "username";
                }));
    }

    @Override
    void apply(Map<String, String> data, NewCredential c) {
        switch (c.kind()) {
            case ACCESS_KEY -> {
                ClusterObjects.put(data, key("accessKeyId"), c.id());
                ClusterObjects.put(data, key("secretAccessKey"), c.secret().reveal());
            }
            case SSH_KEY -> {
                ClusterObjects.put(data, key("sshKeyId"), c.id());
                ClusterObjects.put(data, key("privateKey"), c.secret().reveal());
                if (named.keys().containsKey("publicKey")) {
                    ClusterObjects.put(data, key("publicKey"), c.publicKey());
                }
            }
            case HTTPS_GIT_CREDENTIAL -> {
                ClusterObjects.put(data, key("username"), c.gitUserName());
                ClusterObjects.put(data, key("password"), c.secret().reveal());
            }
        }
        named.constants().forEach((k, v) -> ClusterObjects.put(data, k, v));
    }

    @Override
    NewCredential recover(String id) {
        Map<String, String> data = data();
        return switch (ctx.kind()) {
            case ACCESS_KEY -> {
                var secret = io.jenkins.plugins.fluxcodecommit.secret.Secret.of(data.get(key("secretAccessKey")));
                ctx.redactor().add(secret);
                yield new NewCredential(CredentialKind.ACCESS_KEY, ctx.user(), id, secret, null);
            }
            case SSH_KEY -> sshCredential(id, data.get(key("privateKey")));
            case HTTPS_GIT_CREDENTIAL -> gitCredential(id, data.get(key("username")), data.get(key("password")));
        };
    }

    @Override
    Evidence confirm(NewCredential c, Instant written) {
        if (!named.restart().isEmpty()) {
            restart();
            Instant deadline = ctx.now().plus(ctx.request().verifyTimeout());
            FluxCluster cluster =
                    new FluxCluster(kube.client(), kube.clusterName(), ctx.redactor(), ctx.log(), ctx.clock());
            for (String deployment : named.restart()) {
                cluster.waitDeployment(
                        named.namespace(),
                        deployment,
                        deadline,
                        ctx.request().verifyTimeout(),
                        ctx.request().pollInterval());
                ctx.log().info("Deployment " + named.namespace() + "/" + deployment + " restarted and Ready");
            }
            return Evidence.CONFIRMED;
        }
        if (c.kind() == CredentialKind.ACCESS_KEY && ctx.request().hasGrace()) {
            Duration window = ctx.request().verifyTimeout().compareTo(EVIDENCE_WINDOW) < 0
                    ? ctx.request().verifyTimeout()
                    : EVIDENCE_WINDOW;
            return usedSince(c.id(), written, window) ? Evidence.CONFIRMED : Evidence.NONE;
        }
        return Evidence.NONE;
    }

    /**
     * Polls IAM's GetAccessKeyLastUsed until it reports the key used after {@code since} by a service
     * other than STS, for a while: the rotation's own check of the new key is an STS call, and IAM's
     * clock is not this machine's, so only another service's use is a consumer's.
     */
    boolean usedSince(String id, Instant since, Duration within) {
        Instant deadline = ctx.now().plus(within);
        while (true) {
            var used = ctx.iam().list(ctx.user(), ctx.kind()).stream()
                    .filter(x -> x.id().equals(id) && x.lastUsed() != null)
                    .findFirst();
            if (used.isPresent()
                    && used.get().lastUsed().isAfter(since)
                    && !"sts".equals(used.get().lastUsedService())) {
                ctx.log()
                        .info("IAM reports " + id + " used at " + used.get().lastUsed() + " by "
                                + used.get().lastUsedService() + ", after it was written");
                return true;
            }
            if (!ctx.now().isBefore(deadline)) {
                return false;
            }
            ctx.pause();
        }
    }

    /** Restarts the named Deployments as {@code kubectl rollout restart} does: a new template annotation. */
    private void restart() {
        String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{"
                + "\"kubectl.kubernetes.io/restartedAt\":\"" + ctx.now() + "\"}}}}}";
        for (String deployment : named.restart()) {
            kube.call(
                    () -> kube.client()
                            .apps()
                            .deployments()
                            .inNamespace(named.namespace())
                            .withName(deployment)
                            .patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                    "restart Deployment " + named.namespace() + "/" + deployment);
            ctx.log().info("Restarting Deployment " + named.namespace() + "/" + deployment);
        }
    }

    /** The restarted pods read the old credential again only when restarted once more. */
    @Override
    void afterRestore(Snapshot old) {
        if (!named.restart().isEmpty()) {
            restart();
        }
    }
}
