package io.jenkins.plugins.fluxcodecommit.aws;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach AWS APIs: endpoint overrides (VPC endpoints, FIPS, a local emulator in tests), the
 * timeout of one API call and the retry budget. Plain data that crosses to agents.
 *
 * @param stsEndpoint {@code null} for the SDK's regional default
 * @param iamEndpoint {@code null} for the SDK's default
 * @param eksEndpoint {@code null} for the SDK's regional default
 * @param maxAttempts attempts per API call, first one included (SDK standard retry with jitter)
 */
public record AwsSettings(URI stsEndpoint, URI iamEndpoint, URI eksEndpoint, Duration apiCallTimeout, int maxAttempts)
        implements Serializable {
    public AwsSettings {
        if (apiCallTimeout == null) {
            apiCallTimeout = Duration.ofSeconds(60);
        }
        if (maxAttempts <= 0) {
            maxAttempts = 5;
        }
    }

    public static AwsSettings defaults() {
        return new AwsSettings(null, null, null, null, 0);
    }

    public AwsSettings withStsEndpoint(URI endpoint) {
        return new AwsSettings(endpoint, iamEndpoint, eksEndpoint, apiCallTimeout, maxAttempts);
    }

    public AwsSettings withIamEndpoint(URI endpoint) {
        return new AwsSettings(stsEndpoint, endpoint, eksEndpoint, apiCallTimeout, maxAttempts);
    }

    public AwsSettings withEksEndpoint(URI endpoint) {
        return new AwsSettings(stsEndpoint, iamEndpoint, endpoint, apiCallTimeout, maxAttempts);
    }
}
