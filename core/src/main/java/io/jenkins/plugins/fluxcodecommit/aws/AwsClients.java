package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Builds every AWS client and credentials provider of one operation from plain settings: one HTTP
 * client, explicit endpoints, explicit retry policy, no service-loader discovery. Closing it closes
 * everything it built. It also holds the operation's {@link TrustedCertificates}, which the Git and
 * Kubernetes clients of the operation take from here.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsSettings settings;
    private final TrustedCertificates trust;
    private final Redactor redactor;
    /** Built on first use: a bootstrap with static keys signs its Git passwords locally and calls no AWS API. */
    private SdkHttpClient http;

    private boolean closed;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final java.util.Map<List<Object>, AwsCredentialsProvider> providers = new java.util.HashMap<>();
    private final java.util.Map<List<Object>, Object> clients = new java.util.HashMap<>();

    private final java.util.Map<String, String> environment;
    private final IdentityFailures failures;

    /**
     * @param environment where the default chain reads {@code AWS_*} variables: the operation's
     *     environment (a Jenkins step's), not necessarily this process's
     */
    public AwsClients(AwsSettings settings, Redactor redactor, java.util.Map<String, String> environment) {
        this(settings, TrustedCertificates.load(settings.caFile()), redactor, environment);
    }

    /** With the settings' CA file already loaded (by an operation that checks it among its inputs). */
    public AwsClients(
            AwsSettings settings,
            TrustedCertificates trust,
            Redactor redactor,
            java.util.Map<String, String> environment) {
        this.settings = settings;
        this.trust = trust;
        this.redactor = redactor;
        this.environment = java.util.Map.copyOf(environment);
        this.failures = new IdentityFailures(settings, trust, redactor, this.environment);
    }

    private synchronized SdkHttpClient http() {
        if (closed) {
            throw new IllegalStateException("AwsClients used after close");
        }
        if (http == null) {
            var client = ApacheHttpClient.builder();
            if (!trust.isEmpty()) {
                client.tlsTrustManagersProvider(trust::trustManagers);
            }
            http = client.build();
        }
        return http;
    }

    public AwsSettings settings() {
        return settings;
    }

    /** The CA certificates every TLS connection of the operation trusts on top of the JVM's. */
    public TrustedCertificates trust() {
        return trust;
    }

    /**
     * The error for an AWS endpoint whose TLS certificate no trusted CA issued.
     *
     * @param service such as "STS", "EKS"
     * @param endpoint the endpoint override, or {@code null} for the SDK's default
     */
    public RemoteOperationException untrusted(String service, java.net.URI endpoint, Throwable redactedCause) {
        return UntrustedCertificate.error(
                "the " + service + " endpoint" + (endpoint == null ? "" : " " + endpoint),
                trust.describe(),
                trust,
                redactedCause);
    }

    /**
     * The provider for an identity, made once per identity and region for the life of these clients,
     * so an operation assumes a role once (and refreshes it before it expires), not at every use.
     */
    public synchronized AwsCredentialsProvider credentials(AwsIdentity identity, String region) {
        List<Object> key = List.of(identity, region);
        AwsCredentialsProvider cached = providers.get(key);
        if (cached == null) {
            cached = newProvider(identity, region);
            providers.put(key, cached);
        }
        return cached;
    }

    private AwsCredentialsProvider newProvider(AwsIdentity identity, String region) {
        if (identity instanceof AwsKeys keys) {
            redactor.add(keys.secretAccessKey(), keys.sessionToken());
            return StaticCredentialsProvider.create(
                    keys.sessionToken() == null
                            ? AwsBasicCredentials.create(
                                    keys.accessKeyId(), keys.secretAccessKey().reveal())
                            : AwsSessionCredentials.create(
                                    keys.accessKeyId(),
                                    keys.secretAccessKey().reveal(),
                                    keys.sessionToken().reveal()));
        }
        if (identity instanceof DefaultChain chain) {
            // A named profile means that profile, even when AWS_ACCESS_KEY_ID is set.
            if (chain.profile() == null) {
                redactor.add(
                        Secret.of(environment.get("AWS_SECRET_ACCESS_KEY")),
                        Secret.of(environment.get("AWS_SESSION_TOKEN")));
            }
            // AssumeRoleWithWebIdentity is not signed: IRSA's STS client has no credentials.
            return EnvironmentChain.provider(
                    chain.profile(), environment, region, r -> sts(AnonymousCredentialsProvider.create(), r), owned);
        }
        AssumeRole role = (AssumeRole) identity;
        AwsCredentialsProvider source = credentials(role.source(), region);
        // The source's own failure (no credentials, say) is the error, not a failed call to STS.
        AwsCredentialsProvider checkedSource = () -> {
            try {
                return source.resolveCredentials();
            } catch (SdkException e) {
                throw failures.obtaining(role.source(), region, e);
            }
        };
        StsClient sts = sts(checkedSource, region);
        AssumeRoleRequest request = AssumeRoleRequest.builder()
                .roleArn(role.roleArn())
                .roleSessionName(role.sessionName())
                .externalId(role.externalId())
                .durationSeconds((int) role.duration().toSeconds())
                .build();
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(request)
                .asyncCredentialUpdateEnabled(false)
                .build();
        owned.add(provider);
        return provider;
    }

    /**
     * The credentials of a provider at this moment, as engine keys; they are added to the redactor.
     * Failures become user-facing errors that say which identity failed and what to check.
     */
    public AwsKeys resolve(AwsCredentialsProvider provider, AwsIdentity identity) {
        AwsCredentials credentials;
        try {
            credentials = provider.resolveCredentials();
        } catch (SdkException e) {
            throw failures.obtaining(identity, regionOf(provider), e);
        }
        Secret secret = Secret.of(credentials.secretAccessKey());
        Secret token = credentials instanceof AwsSessionCredentials session ? Secret.of(session.sessionToken()) : null;
        redactor.add(secret, token);
        return new AwsKeys(credentials.accessKeyId(), secret, token);
    }

    /** Who the identity is, according to STS. */
    public GetCallerIdentityResponse callerIdentity(AwsIdentity identity, String region) {
        AwsCredentialsProvider provider = credentials(identity, region);
        // First on their own: "no credentials" and "STS cannot be reached" are different errors.
        resolve(provider, identity);
        try {
            return sts(provider, region).getCallerIdentity();
        } catch (SdkException e) {
            throw failures.calling("GetCallerIdentity", identity, region, e);
        }
    }

    private synchronized String regionOf(AwsCredentialsProvider provider) {
        return providers.entrySet().stream()
                .filter(entry -> entry.getValue() == provider)
                .map(entry -> (String) entry.getKey().get(1))
                .findFirst()
                .orElse(null);
    }

    public synchronized StsClient sts(AwsCredentialsProvider credentials, String region) {
        return (StsClient)
                clients.computeIfAbsent(List.of("sts", credentials, region), k -> newSts(credentials, region));
    }

    private StsClient newSts(AwsCredentialsProvider credentials, String region) {
        var builder = StsClient.builder()
                .httpClient(http())
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        if (settings.stsEndpoint() != null) {
            builder.endpointOverride(settings.stsEndpoint());
        }
        StsClient client = builder.build();
        owned.add(client);
        return client;
    }

    public synchronized IamClient iam(AwsCredentialsProvider credentials, String region) {
        return (IamClient)
                clients.computeIfAbsent(List.of("iam", credentials, region), k -> newIam(credentials, region));
    }

    private IamClient newIam(AwsCredentialsProvider credentials, String region) {
        // IAM is global: its endpoint lives in the partition's home region.
        Region iamRegion = region.startsWith("cn-")
                ? Region.AWS_CN_GLOBAL
                : region.startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
        var builder = IamClient.builder()
                .httpClient(http())
                .region(iamRegion)
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        if (settings.iamEndpoint() != null) {
            builder.endpointOverride(settings.iamEndpoint());
        }
        IamClient client = builder.build();
        owned.add(client);
        return client;
    }

    public synchronized EksClient eks(AwsCredentialsProvider credentials, String region) {
        return (EksClient)
                clients.computeIfAbsent(List.of("eks", credentials, region), k -> newEks(credentials, region));
    }

    private EksClient newEks(AwsCredentialsProvider credentials, String region) {
        var builder = EksClient.builder()
                .httpClient(http())
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides());
        if (settings.eksEndpoint() != null) {
            builder.endpointOverride(settings.eksEndpoint());
        }
        EksClient client = builder.build();
        owned.add(client);
        return client;
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(settings.apiCallTimeout())
                // Standard mode: exponential backoff with jitter, throttling errors retried.
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .build())
                .build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        java.util.Collections.reverse(owned);
        for (AutoCloseable closeable : owned) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing is best effort: a client that fails to close holds nothing we need
            }
        }
        owned.clear();
        providers.clear();
        clients.clear();
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
