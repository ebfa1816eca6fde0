package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NetworkFailure;
import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns failures to obtain or check an identity's credentials into errors that say which of three
 * things happened: there are no credentials, AWS refused them, or STS could not be reached.
 */
final class IdentityFailures {
    private static final String STS_ENDPOINT_FIX = "Check that this machine reaches it (network, proxy, firewall,"
            + " a VPC endpoint's security group), or give the STS endpoint to use (--sts-endpoint; in Jenkins,"
            + " the Flux CodeCommit section of the system configuration).";

    private final AwsSettings settings;
    private final Redactor redactor;
    private final Map<String, String> environment;

    private final TrustedCertificates trust;

    IdentityFailures(
            AwsSettings settings, TrustedCertificates trust, Redactor redactor, Map<String, String> environment) {
        this.settings = settings;
        this.trust = trust;
        this.redactor = redactor;
        this.environment = environment;
    }

    /** A failure to obtain the credentials of an identity. */
    RuntimeException obtaining(AwsIdentity identity, String region, SdkException e) {
        FluxCodeCommitException ours = FluxCodeCommitException.findIn(e);
        if (ours != null) {
            return ours;
        }
        RedactedException cause = RedactedException.of(e, redactor);
        if (UntrustedCertificate.in(e)) {
            return untrusted(region, cause);
        }
        if (e instanceof AwsServiceException service) {
            return refused(identity, ServiceError.of(service, redactor), cause);
        }
        String network = NetworkFailure.describe(e);
        if (identity instanceof DefaultChain chain && (network == null || chainExhausted(e))) {
            return noCredentials(chain, cause);
        }
        if (network != null) {
            return new RemoteOperationException(
                    "Could not reach STS at " + stsEndpoint(region) + " (" + network + ") to obtain credentials for "
                            + identity.describe() + ".",
                    STS_ENDPOINT_FIX,
                    cause);
        }
        return new RemoteOperationException(
                "Could not obtain credentials for " + identity.describe() + ": " + redactor.redact(e.getMessage()),
                "Retry; transient errors were already retried with backoff.",
                cause);
    }

    /** STS answered over TLS with a certificate that no trusted CA issued: a proxy, a private endpoint. */
    private RemoteOperationException untrusted(String region, RedactedException cause) {
        return UntrustedCertificate.error("the STS endpoint " + stsEndpoint(region), trust.describe(), trust, cause);
    }

    /** A failure of a call to STS made with credentials in hand, such as GetCallerIdentity. */
    RuntimeException calling(String action, AwsIdentity identity, String region, SdkException e) {
        FluxCodeCommitException ours = FluxCodeCommitException.findIn(e);
        if (ours != null) {
            return ours;
        }
        RedactedException cause = RedactedException.of(e, redactor);
        if (UntrustedCertificate.in(e)) {
            return untrusted(region, cause);
        }
        if (e instanceof AwsServiceException service) {
            return refused(identity, ServiceError.of(service, redactor), cause);
        }
        String network = NetworkFailure.describe(e);
        return new RemoteOperationException(
                "Could not reach STS at " + stsEndpoint(region) + " (" + (network == null ? "no answer" : network)
                        + ") for " + action + "; the credentials of " + identity.describe() + " were found, but"
                        + " STS could not be asked about them.",
                STS_ENDPOINT_FIX,
                cause);
    }

    private RuntimeException refused(AwsIdentity identity, ServiceError error, RedactedException cause) {
        if (error.status() == 403 || error.status() == 401) {
            String fix = identity instanceof AssumeRole role
                    ? "Allow sts:AssumeRole on " + role.roleArn() + " for "
                            + role.source().describe()
                            + ", and trust that principal in the role's trust policy"
                            + (role.externalId() == null ? "." : " with the same external ID.")
                    : "Check that the key is active and belongs to this AWS partition; an inactive or deleted key"
                            + " is refused.";
            return new AccessDeniedException(
                    "AWS refused " + identity.describe() + ": " + error.describe(), fix, cause);
        }
        return new RemoteOperationException(
                "STS failed for " + identity.describe() + ": " + error.describe(),
                "Retry; throttling and transient errors were already retried with backoff.",
                cause);
    }

    private InvalidInputException noCredentials(DefaultChain chain, RedactedException cause) {
        String looked = chain.profile() != null
                ? "the profile is not in " + EnvironmentChain.profileFiles(environment) + ", or has no credentials"
                : "looked for AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, IRSA (AWS_ROLE_ARN with"
                        + " AWS_WEB_IDENTITY_TOKEN_FILE), the default profile in "
                        + EnvironmentChain.profileFiles(environment)
                        + ", EKS Pod Identity or ECS container credentials, and an EC2 instance profile";
        return new InvalidInputException(
                "No AWS credentials were found in " + chain.describe() + ": " + looked + ".",
                "Give an access key; or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE in the"
                        + " operation's environment (in Jenkins, the step's: withCredentials, withAWS or withEnv;"
                        + " the agent process's own variables are not read); or run where IRSA, EKS Pod Identity"
                        + " or an instance profile provides credentials.",
                cause);
    }

    private String stsEndpoint(String region) {
        if (settings.stsEndpoint() != null) {
            return settings.stsEndpoint().toString();
        }
        return region == null
                ? "its regional endpoint"
                : "https://sts." + region + ".amazonaws.com" + (Regions.isChina(region) ? ".cn" : "");
    }

    // The SDK's chain tried every provider: its cause is the last one's (the instance profile's
    // metadata service, unreachable off EC2), which says nothing about STS.
    private static boolean chainExhausted(SdkException e) {
        return e.getMessage() != null
                && e.getMessage().startsWith("Unable to load credentials from any of the providers");
    }
}
