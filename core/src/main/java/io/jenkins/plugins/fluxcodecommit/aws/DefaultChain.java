package io.jenkins.plugins.fluxcodecommit.aws;

/**
 * The default AWS credentials chain of the environment the operation was given (a Jenkins step's,
 * not the agent process's): keys, a profile, web identity (IRSA), container credentials (EKS Pod
 * Identity, ECS) and the instance profile, as {@code EnvironmentChain} reads them.
 *
 * @param profile a named profile from the shared config files (which then wins over keys in the
 *     environment), or {@code null} for the chain
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
