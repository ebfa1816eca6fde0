package io.jenkins.plugins.fluxcodecommit.aws;

/**
 * The AWS SDK's default credentials chain where the engine runs: environment, system properties,
 * web identity (IRSA), shared profile, container credentials (EKS Pod Identity, ECS) and the
 * instance profile.
 *
 * @param profile a named profile from the shared config files, or {@code null} for the default
 */
public record DefaultChain(String profile) implements AwsIdentity {
    public static DefaultChain create() {
        return new DefaultChain(null);
    }

    @Override
    public String describe() {
        return profile == null ? "the default AWS credentials chain" : "AWS profile '" + profile + "'";
    }
}
