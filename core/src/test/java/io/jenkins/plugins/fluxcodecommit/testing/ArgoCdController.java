package io.jenkins.plugins.fluxcodecommit.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Argo CD's application controller, as far as a rotation sees it: the Application kind, and for
 * each Application asked to refresh ({@code argocd.argoproj.io/refresh}) a fetch of its repository
 * with the repository secret of that URL, then {@code status.reconciledAt} and a ComparisonError
 * condition when the fetch failed, and the annotation removed. Argo CD itself does not run here.
 */
public final class ArgoCdController implements AutoCloseable {
    public static final ResourceDefinitionContext APPLICATION = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io")
            .withVersion("v1alpha1")
            .withKind("Application")
            .withPlural("applications")
            .withNamespaced(true)
            .build();
    private static final String REFRESH = "argocd.argoproj.io/refresh";

    private final KubernetesClient client;
    private final String namespace;
    private final String knownHosts;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argocd-application-controller");
        t.setDaemon(true);
        return t;
    });

    /** Installs the Application kind once and starts answering refreshes in {@code namespace}. */
    public ArgoCdController(KubernetesClient client, String namespace, String knownHosts) {
        this.client = client;
        this.namespace = namespace;
        this.knownHosts = knownHosts;
        install(client);
        loop.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    private static synchronized void install(KubernetesClient client) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        if (crds.withName("applications.argoproj.io").get() != null) {
            return;
        }
        crds.resource(new CustomResourceDefinitionBuilder()
                        .withNewMetadata()
                        .withName("applications.argoproj.io")
                        .endMetadata()
                        .withNewSpec()
                        .withGroup("argoproj.io")
                        .withScope("Namespaced")
                        .withNewNames()
                        .withKind("Application")
                        .withPlural("applications")
                        .withSingular("application")
                        .endNames()
                        .addNewVersion()
                        .withName("v1alpha1")
                        .withServed(true)
                        .withStorage(true)
                        .withNewSchema()
                        .withNewOpenAPIV3Schema()
                        .withType("object")
                        .withXKubernetesPreserveUnknownFields(true)
                        .endOpenAPIV3Schema()
                        .endSchema()
                        .endVersion()
                        .endSpec()
                        .build())
                .create();
        // The kind is served a moment after it is created.
        for (int i = 0; i < 100; i++) {
            try {
                client.genericKubernetesResources(APPLICATION).inAnyNamespace().list();
                return;
            } catch (KubernetesClientException e) {
                sleep();
            }
        }
    }

    /** An Application of the repository at {@code repoURL}. */
    public void application(String name, String repoURL) {
        client.genericKubernetesResources(APPLICATION)
                .inNamespace(namespace)
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("argoproj.io/v1alpha1")
                        .withKind("Application")
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .addToAdditionalProperties("spec", Map.of("source", Map.of("repoURL", repoURL, "path", "apps")))
                        .build())
                .create();
    }

    private void tick() {
        try {
            for (GenericKubernetesResource app : client.genericKubernetesResources(APPLICATION)
                    .inNamespace(namespace)
                    .list()
                    .getItems()) {
                Map<String, String> annotations = app.getMetadata().getAnnotations();
                if (annotations != null && annotations.containsKey(REFRESH)) {
                    refresh(app);
                }
            }
        } catch (RuntimeException e) {
            // A conflict with a writer: the next tick tries again.
        }
    }

    @SuppressWarnings("unchecked")
    private void refresh(GenericKubernetesResource app) {
        Map<String, Object> spec =
                (Map<String, Object>) app.getAdditionalProperties().get("spec");
        String repoURL = String.valueOf(((Map<String, Object>) spec.get("source")).get("repoURL"));
        List<Map<String, Object>> conditions = new ArrayList<>();
        String failure = fetch(repoURL);
        if (failure != null) {
            conditions.add(Map.of("type", "ComparisonError", "message", "Failed to load target state: " + failure));
        }
        Map<String, Object> status = new HashMap<>();
        status.put("reconciledAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        status.put("conditions", conditions);
        app.setAdditionalProperty("status", status);
        app.getMetadata().getAnnotations().remove(REFRESH);
        client.genericKubernetesResources(APPLICATION)
                .inNamespace(namespace)
                .resource(app)
                .update();
    }

    /** Fetches with the repository secret whose URL names the same repository; the failure, or null. */
    private String fetch(String repoURL) {
        for (var s : client.secrets()
                .inNamespace(namespace)
                .withLabel("argocd.argoproj.io/secret-type", "repository")
                .list()
                .getItems()) {
            String url = decode(s.getData().get("url"));
            if (url == null || !sameRepository(url, repoURL)) {
                continue;
            }
            try (GitAccess git = GitAccess.builder(
                            CodeCommitUrl.parse(url),
                            new GitAuth.SshKey(Secret.of(decode(s.getData().get("sshPrivateKey"))), null, knownHosts))
                    .open()) {
                git.lsRemote();
                return null;
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        }
        return "repository not accessible: no credentials for " + repoURL;
    }

    private static boolean sameRepository(String a, String b) {
        return a.replaceFirst("//[^@/]*@", "//").equals(b.replaceFirst("//[^@/]*@", "//"));
    }

    private static String decode(String v) {
        return v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
