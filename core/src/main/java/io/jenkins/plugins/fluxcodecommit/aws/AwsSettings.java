package io.jenkins.plugins.fluxcodecommit.aws;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach AWS APIs: endpoint overrides (VPC endpoints, FIPS, a local emulator in tests), the
 * timeout of one API call and the retry budget; and the CA file every TLS connection of the
 * operation trusts on top of the JVM's (AWS, Git over HTTPS, Kubernetes), which {@link AwsClients}
 * loads once and hands to the other clients. Plain data that crosses to agents.
 *
 * @param stsEndpoint {@code null} for the SDK's regional default
 * @param iamEndpoint {@code null} for the SDK's default
 * @param eksEndpoint {@code null} for the SDK's regional default
 * @param maxAttempts attempts per API call, first one included (SDK standard retry with jitter)
 * @param caFile PEM file of extra CA certificates, a path on the machine where the engine runs;
 *     {@code null} for the JVM's trust only (see {@link
 *     io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates})
 */
public record AwsSettings(
        URI stsEndpoint, URI iamEndpoint, URI eksEndpoint, Duration apiCallTimeout, int maxAttempts, String caFile)
        implements Serializable {
    public AwsSettings {
        if (apiCallTimeout == null) {
            apiCallTimeout = Duration.ofSeconds(60);
        }
        if (maxAttempts <= 0) {
            maxAttempts = 5;
        }
        if (caFile != null && caFile.isBlank()) {
            caFile = null;
        }
    }

    public static AwsSettings defaults() {
        return new AwsSettings(null, null, null, null, 0, null);
    }

    public AwsSettings withStsEndpoint(URI endpoint) {
        return new AwsSettings(endpoint, iamEndpoint, eksEndpoint, apiCallTimeout, maxAttempts, caFile);
    }

    public AwsSettings withIamEndpoint(URI endpoint) {
        return new AwsSettings(stsEndpoint, endpoint, eksEndpoint, apiCallTimeout, maxAttempts, caFile);
    }

    public AwsSettings withEksEndpoint(URI endpoint) {
        return new AwsSettings(stsEndpoint, iamEndpoint, endpoint, apiCallTimeout, maxAttempts, caFile);
    }

    public AwsSettings withCaFile(String file) {
        return new AwsSettings(stsEndpoint, iamEndpoint, eksEndpoint, apiCallTimeout, maxAttempts, file);
    }
}
