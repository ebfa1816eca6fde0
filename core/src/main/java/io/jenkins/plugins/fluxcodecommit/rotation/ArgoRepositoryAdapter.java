package io.jenkins.plugins.fluxcodecommit.rotation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Argo CD repository secret: {@code url} with {@code sshPrivateKey} (the key ID is the URL's
 * user), or {@code username} with {@code password}. Evidence: each Argo CD Application of that
 * repository, asked to refresh ({@code argocd.argoproj.io/refresh}), reconciled after the write
 * without a ComparisonError. With no Application of the repository there is none.
 */
final class ArgoRepositoryAdapter extends TargetAdapter {
    static final ResourceDefinitionContext APPLICATION = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io")
            .withVersion("v1alpha1")
            .withKind("Application")
            .withPlural("applications")
            .withNamespaced(true)
            .build();
    static final String REFRESH = "argocd.argoproj.io/refresh";

    private final RotationTarget.ArgoRepository argo;

    ArgoRepositoryAdapter(RotationTarget.ArgoRepository argo, ClusterObjects kube, RotationContext ctx) {
        super(kube, ctx);
        this.argo = argo;
    }

    @Override
    RotationTarget target() {
        return argo;
    }

    @Override
    String heldId() {
        Map<String, String> data = data();
        if (ctx.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            return data.get("username");
        }
        String url = data.get("url");
        return url == null ? null : CodeCommitUrl.parse(url).user();
    }

    @Override
    void apply(Map<String, String> data, NewCredential c) {
        if (c.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            ClusterObjects.put(data, "username", c.gitUserName());
            ClusterObjects.put(data, "password", c.secret().reveal());
            return;
        }
        ClusterObjects.put(data, "sshPrivateKey", c.secret().reveal());
        String url = ClusterObjects.decode(data.get("url"));
        if (url != null) {
            ClusterObjects.put(
                    data, "url", CodeCommitUrl.parse(url).withSshUser(c.id()).gitUrl());
        }
    }

    @Override
    NewCredential recover(String id) {
        Map<String, String> data = data();
        return ctx.kind() == CredentialKind.HTTPS_GIT_CREDENTIAL
                ? gitCredential(id, data.get("username"), data.get("password"))
                : sshCredential(id, data.get("sshPrivateKey"));
    }

    @Override
    Optional<String> repositoryUrl() {
        return Optional.ofNullable(data().get("url"));
    }

    @Override
    Evidence confirm(NewCredential c, Instant written) {
        String url = data().get("url");
        List<String> apps = new ArrayList<>();
        for (GenericKubernetesResource app : kube.list(APPLICATION, argo.namespace())) {
            if (url != null && repoUrls(app).stream().anyMatch(u -> sameRepository(u, url))) {
                apps.add(app.getMetadata().getName());
            }
        }
        if (apps.isEmpty()) {
            ctx.log()
                    .info("No Argo CD Application in " + argo.namespace() + " uses " + argo.describe()
                            + ": no evidence that a consumer works with the new credential");
            return Evidence.NONE;
        }
        for (String name : apps) {
            kube.mergePatch(
                    APPLICATION,
                    argo.namespace(),
                    name,
                    "{\"metadata\":{\"annotations\":{\"" + REFRESH + "\":\"normal\"}}}",
                    "ask Argo CD to refresh Application " + argo.namespace() + "/" + name);
        }
        for (String name : apps) {
            awaitRefresh(name, written);
        }
        return Evidence.CONFIRMED;
    }

    /** Argo CD removes the refresh annotation once it has compared the Application with the repository. */
    private void awaitRefresh(String name, Instant written) {
        String id = "Argo CD Application " + argo.namespace() + "/" + name;
        Instant deadline = ctx.now().plus(ctx.request().verifyTimeout());
        // Argo CD writes reconciledAt to the second.
        Instant after = written.truncatedTo(ChronoUnit.SECONDS);
        while (true) {
            GenericKubernetesResource app = kube.get(APPLICATION, argo.namespace(), name)
                    .orElseThrow(() -> new RemoteOperationException(id + " is gone.", "Run the rotation again."));
            Map<String, Object> status = ClusterObjects.status(app);
            Map<String, String> annotations = app.getMetadata().getAnnotations();
            Object reconciled = status.get("reconciledAt");
            boolean refreshed = (annotations == null || !annotations.containsKey(REFRESH))
                    && reconciled != null
                    && !Instant.parse(String.valueOf(reconciled)).isBefore(after);
            if (refreshed) {
                Optional<Map<String, Object>> error = ClusterObjects.condition(status, "ComparisonError");
                if (error.isPresent()) {
                    throw new RemoteOperationException(
                            id + " cannot reach the repository with the new credential: "
                                    + ctx.redactor()
                                            .redact(String.valueOf(error.get().get("message"))),
                            "The old credential is back in place; check the new credential's IAM status and"
                                    + " codecommit:GitPull.");
                }
                ctx.log().info(id + " refreshed with the new credential");
                return;
            }
            if (ctx.now().isAfter(deadline)) {
                throw new RemoteOperationException(
                        id + " did not refresh within " + ctx.request().verifyTimeout() + ".",
                        "Check argocd-application-controller; the old credential is back in place.");
            }
            ctx.pause();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> repoUrls(GenericKubernetesResource app) {
        Map<String, Object> spec = ClusterObjects.spec(app);
        List<String> out = new ArrayList<>();
        if (spec.get("source") instanceof Map<?, ?> source && source.get("repoURL") != null) {
            out.add(String.valueOf(source.get("repoURL")));
        }
        if (spec.get("sources") instanceof List<?> sources) {
            for (Object s : sources) {
                if (s instanceof Map<?, ?> m && m.get("repoURL") != null) {
                    out.add(String.valueOf(m.get("repoURL")));
                }
            }
        }
        return out;
    }

    /** The same repository whatever the URL's user (the SSH key ID changes) and trailing ".git" or "/". */
    static boolean sameRepository(String a, String b) {
        return normal(a).equals(normal(b));
    }

    private static String normal(String url) {
        return url.trim()
                .toLowerCase(java.util.Locale.ROOT)
                .replaceFirst("^([a-z+]+://)[^@/]*@", "$1")
                .replaceFirst("(\\.git)?/*$", "");
    }
}
