package io.jenkins.plugins.fluxcodecommit.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.Regions;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * A Kubernetes client for one {@link ClusterTarget}, configured explicitly: nothing is read from
 * {@code ~/.kube} or the environment unless the target says so, and the HTTP client is chosen
 * here rather than discovered.
 */
public final class KubeConnection implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private final KubernetesClient client;
    private final String description;

    private KubeConnection(KubernetesClient client, String description) {
        this.client = client;
        this.description = description;
    }

    /**
     * Checks what can be checked of a target on this machine, before anything changes anywhere: a
     * kubeconfig is read and its context (given or current) exists with its cluster and user; the
     * in-cluster service account is mounted; an EKS cluster has a name and a known region.
     */
    public static void check(ClusterTarget target, Map<String, String> environment) {
        if (target instanceof ClusterTarget.Kubeconfig kubeconfig) {
            MergedKubeconfig.of(kubeconfig).context(kubeconfig.context());
        } else if (target instanceof ClusterTarget.InCluster) {
            serviceAccountHost(environment);
        } else if (target instanceof ClusterTarget.Eks eks) {
            eksName(eks);
            Regions.requireKnown(eks.region(), "the EKS cluster's region");
        }
    }

    /**
     * A connection whose server has answered (whatever it answered: a refusal is reported by the
     * request it refuses); a server that does not answer is named with the reason.
     *
     * @param aws the operation's AWS clients (for EKS), whose {@link AwsClients#trust() CA certificates}
     *     are trusted on top of the cluster's own CA
     * @param operationIdentity the AWS identity of the operation, used for EKS when the target names none
     */
    public static KubeConnection open(
            ClusterTarget target,
            AwsClients aws,
            AwsIdentity operationIdentity,
            Map<String, String> environment,
            Redactor redactor,
            Clock clock,
            Duration requestTimeout) {
        Config config;
        String description = target.describe();
        if (target instanceof ClusterTarget.ApiServer api) {
            redactor.add(api.token());
            config = Config.empty();
            config.setMasterUrl(api.url());
            config.setOauthToken(api.token() == null ? null : api.token().reveal());
            if (api.certificateAuthorityPem() != null) {
                config.setCaCertData(base64(api.certificateAuthorityPem()));
            }
        } else if (target instanceof ClusterTarget.Kubeconfig kubeconfig) {
            MergedKubeconfig merged = MergedKubeconfig.of(kubeconfig);
            String context = merged.context(kubeconfig.context());
            // Say the context used, also when it is the current one.
            description = new ClusterTarget.Kubeconfig(kubeconfig.files(), kubeconfig.content(), context).describe();
            config = kubeconfig(merged, context, redactor);
        } else if (target instanceof ClusterTarget.InCluster) {
            config = inCluster(environment);
        } else {
            config = eks((ClusterTarget.Eks) target, aws, operationIdentity, redactor, clock);
        }
        Duration connectTimeout = requestTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? requestTimeout : CONNECT_TIMEOUT;
        addTrustedCertificates(config, aws == null ? TrustedCertificates.none() : aws.trust());
        config.setRequestTimeout((int) requestTimeout.toMillis());
        // kube-apiserver closes HTTP/2 connections of unauthenticated clients (GOAWAY) before the
        // client reads the 401; over HTTP/1.1 a refused credential is reported as such.
        config.setHttp2Disable(true);
        // fabric8 retries failed requests with backoff; a bounded few, so a refusal surfaces in seconds.
        config.setRequestRetryBackoffLimit(3);
        config.setRequestRetryBackoffInterval(250);
        config.setConnectionTimeout((int) connectTimeout.toMillis());
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        try {
            new ServerProbe(client, description, connectTimeout, requestTimeout, redactor).run();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new KubeConnection(client, description);
    }

    /**
     * The operation's extra CAs join the cluster's CA (from the kubeconfig, the service account or
     * EKS), which stays trusted. fabric8 merges CA data into the JVM's default trust store.
     */
    private static void addTrustedCertificates(Config config, TrustedCertificates trust) {
        if (trust.isEmpty() || config.isTrustCerts()) {
            return;
        }
        String clusterCa = "";
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            clusterCa = new String(Base64.getMimeDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8);
        } else if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            try {
                clusterCa = Files.readString(Path.of(config.getCaCertFile()), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new InvalidInputException(
                        "The cluster's CA file " + config.getCaCertFile() + " cannot be read.",
                        "Check the kubeconfig's certificate-authority path and that this user may read it.");
            }
        }
        config.setCaCertFile(null);
        config.setCaCertData(base64(clusterCa.strip() + "\n" + trust.pem()));
    }

    /** The error for an API server whose TLS certificate no trusted CA issued. */
    static RemoteOperationException untrusted(String cluster, Throwable redactedCause) {
        return UntrustedCertificate.error(
                "the API server of " + cluster,
                "the cluster's CA (kubeconfig certificate-authority, EKS), the JVM's trust store or the"
                        + " operation's CA file",
                null,
                redactedCause);
    }

    private static Config kubeconfig(MergedKubeconfig kubeconfig, String context, Redactor redactor) {
        try {
            return learnSecrets(kubeconfig.clientConfig(context), redactor);
        } catch (RuntimeException e) {
            // What is left is fabric8 building the user's credentials: an exec plugin, a key file.
            throw new InvalidInputException(
                    "The credentials of context '" + context + "' in " + kubeconfig.origin() + " could not be used: "
                            + redactor.redact(String.valueOf(e.getMessage())),
                    "Check the context's user entry (kubectl config view --minify --context " + context + ").",
                    RedactedException.of(e, redactor));
        }
    }
    /** The credentials a kubeconfig holds become known to the redactor. */
    private static Config learnSecrets(Config config, Redactor redactor) {
        redactor.add(
                Secret.of(config.getOauthToken()),
                Secret.of(config.getAutoOAuthToken()),
                Secret.of(config.getPassword()),
                Secret.of(config.getClientKeyData()),
                Secret.of(config.getClientKeyPassphrase()));
        return config;
    }

    private static String serviceAccountHost(Map<String, String> environment) {
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        Path token = SERVICE_ACCOUNT.resolve("token");
        if (host == null || !Files.isReadable(token)) {
            throw new InvalidInputException(
                    "This process is not running in a Kubernetes pod with a service account"
                            + " (KUBERNETES_SERVICE_HOST or " + token + " is missing).",
                    "Run the step on an agent pod, or give a kubeconfig or an EKS cluster name.");
        }
        return host;
    }

    private static Config inCluster(Map<String, String> environment) {
        String host = serviceAccountHost(environment);
        String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        Path token = SERVICE_ACCOUNT.resolve("token");
        Config config = Config.empty();
        config.setMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        config.setCaCertFile(SERVICE_ACCOUNT.resolve("ca.crt").toString());
        // Projected service account tokens rotate: read the file on every request.
        config.setOauthTokenProvider(() -> read(token));
        return config;
    }

    private static Config eks(
            ClusterTarget.Eks target, AwsClients aws, AwsIdentity operationIdentity, Redactor redactor, Clock clock) {
        eksName(target);
        String region = Regions.requireKnown(target.region(), "the EKS cluster's region");
        AwsIdentity identity = target.identity() != null ? target.identity() : operationIdentity;
        if (identity == null) {
            throw new InvalidInputException(
                    "No AWS identity to authenticate to " + target.describe() + ".",
                    "Give an AWS identity for the cluster, or run where the default AWS chain finds one.");
        }
        var provider = aws.credentials(identity, region);
        Cluster cluster;
        try {
            cluster = aws.eks(provider, region)
                    .describeCluster(b -> b.name(target.clusterName()))
                    .cluster();
        } catch (ResourceNotFoundException e) {
            throw new InvalidInputException(
                    "There is no EKS cluster '" + target.clusterName() + "' in " + region + ".",
                    "Check the name and region (aws eks list-clusters --region " + region + ").",
                    RedactedException.of(e, redactor));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 403) {
                throw new AccessDeniedException(
                        identity.describe() + " may not describe " + target.describe() + ".",
                        "Allow eks:DescribeCluster on the cluster's ARN.",
                        RedactedException.of(e, redactor));
            }
            throw new RemoteOperationException(
                    "DescribeCluster for " + target.describe() + " failed: " + redactor.redact(e.getMessage()),
                    "Retry; check network access to the EKS API.",
                    RedactedException.of(e, redactor));
        } catch (SdkException e) {
            if (UntrustedCertificate.in(e)) {
                throw aws.untrusted("EKS", aws.settings().eksEndpoint(), RedactedException.of(e, redactor));
            }
            throw new RemoteOperationException(
                    "DescribeCluster for " + target.describe() + " failed: " + redactor.redact(e.getMessage()),
                    "Check network access to the EKS API (or its VPC endpoint).",
                    RedactedException.of(e, redactor));
        }
        Config config = Config.empty();
        config.setMasterUrl(cluster.endpoint());
        config.setCaCertData(cluster.certificateAuthority().data());
        config.setOauthTokenProvider(new OAuthTokenProvider() {
            private Secret token;
            private Instant madeAt = Instant.MIN;

            @Override
            public synchronized String getToken() {
                Instant now = clock.instant();
                if (token == null || Duration.between(madeAt, now).compareTo(EksToken.REFRESH_AFTER) > 0) {
                    AwsKeys keys = aws.resolve(provider, identity);
                    token = EksToken.create(keys, region, target.clusterName(), now);
                    redactor.add(token);
                    madeAt = now;
                }
                return token.reveal();
            }
        });
        return config;
    }

    private static void eksName(ClusterTarget.Eks target) {
        if (target.clusterName() == null || target.clusterName().isBlank()) {
            throw new InvalidInputException(
                    "No EKS cluster name was given.", "Give the cluster's name as EKS shows it.");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new RemoteOperationException(
                    "Cannot read the service account token " + file + ".", "Check the pod's service account mount.");
        }
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    public KubernetesClient client() {
        return client;
    }

    public String describe() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }
}
