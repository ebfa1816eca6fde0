package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The default AWS credentials chain, read from the environment an operation was given (in Jenkins,
 * the step's: {@code withCredentials}, {@code withAWS}, {@code withEnv}) instead of the process's,
 * in this order: keys ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN}); a profile ({@code AWS_PROFILE}, read from {@code AWS_CONFIG_FILE} and
 * {@code AWS_SHARED_CREDENTIALS_FILE}, else {@code $HOME/.aws}); IRSA ({@code AWS_ROLE_ARN} with
 * {@code AWS_WEB_IDENTITY_TOKEN_FILE}); the default profile of those files; EKS Pod Identity or ECS
 * container credentials; and the instance profile. Keys, a named profile and IRSA, when the
 * environment sets them, are its identity: when they fail, that is the error, and nothing later
 * in the chain is tried. The SDK's environment-variable and
 * system-property providers are never used: a key that the process (a Jenkins agent's JVM) has and
 * the given environment lacks must not be picked up silently.
 */
final class EnvironmentChain {
    private EnvironmentChain() {}

    /**
     * @param profile a profile named by the identity, which wins over the environment's keys
     * @param sts the STS client (anonymous) that exchanges an IRSA token, by region
     */
    static AwsCredentialsProvider provider(
            String profile,
            Map<String, String> env,
            String region,
            Function<String, StsClient> sts,
            List<AutoCloseable> owned) {
        if (profile == null) {
            AwsCredentialsProvider keys = keys(env);
            if (keys != null) {
                return keys;
            }
        }
        String named = profile != null ? profile : blankToNull(env.get("AWS_PROFILE"));
        if (named != null) {
            return own(owned, profile(named, env));
        }
        String role = blankToNull(env.get("AWS_ROLE_ARN"));
        String tokenFile = blankToNull(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"));
        if (role != null && tokenFile != null) {
            // The environment names its identity: when STS cannot be reached or refuses the token,
            // that is the error, not a silent turn to the machine's instance profile.
            return own(owned, webIdentity(role, Path.of(tokenFile), env, sts.apply(region)));
        }
        List<AwsCredentialsProvider> chain = new ArrayList<>();
        chain.add(own(owned, profile("default", env)));
        // These two read the process's environment (AWS_CONTAINER_CREDENTIALS_*, AWS_EC2_METADATA_*):
        // that is right for them, as the pod or host sets it and they are the machine's own identity.
        chain.add(own(owned, ContainerCredentialsProvider.builder().build()));
        chain.add(own(owned, InstanceProfileCredentialsProvider.builder().build()));
        return own(
                owned,
                AwsCredentialsProviderChain.builder()
                        .credentialsProviders(chain)
                        .reuseLastProviderEnabled(true)
                        .build());
    }

    private static AwsCredentialsProvider keys(Map<String, String> env) {
        String id = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        String token = blankToNull(env.get("AWS_SESSION_TOKEN"));
        if (id == null && secret == null) {
            return null;
        }
        if (id == null || secret == null) {
            throw new InvalidInputException(
                    (id == null
                                    ? "AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID"
                                    : "AWS_ACCESS_KEY_ID " + id + " is set without AWS_SECRET_ACCESS_KEY")
                            + " in the environment.",
                    "Set both (withCredentials binds both), or neither to use the profile or the machine's own"
                            + " identity.");
        }
        AwsKeys.given(
                id,
                Secret.of(secret),
                Secret.of(token),
                "AWS_ACCESS_KEY_ID",
                "AWS_SESSION_TOKEN",
                "set AWS_SESSION_TOKEN in the same environment");
        return StaticCredentialsProvider.create(
                token == null
                        ? AwsBasicCredentials.create(id, secret)
                        : AwsSessionCredentials.create(id, secret, token));
    }

    /** Where a profile of this environment is read from, for messages. */
    static String profileFiles(Map<String, String> env) {
        String home = orElse(env.get("HOME"), System.getProperty("user.home"));
        return orElse(env.get("AWS_CONFIG_FILE"), home + "/.aws/config") + " and "
                + orElse(env.get("AWS_SHARED_CREDENTIALS_FILE"), home + "/.aws/credentials");
    }

    private static ProfileCredentialsProvider profile(String name, Map<String, String> env) {
        String home = orElse(env.get("HOME"), System.getProperty("user.home"));
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        add(files, orElse(env.get("AWS_CONFIG_FILE"), home + "/.aws/config"), ProfileFile.Type.CONFIGURATION, home);
        add(
                files,
                orElse(env.get("AWS_SHARED_CREDENTIALS_FILE"), home + "/.aws/credentials"),
                ProfileFile.Type.CREDENTIALS,
                home);
        return ProfileCredentialsProvider.builder()
                .profileFile(files.build())
                .profileName(name)
                .build();
    }

    private static void add(ProfileFile.Aggregator files, String path, ProfileFile.Type type, String home) {
        // As the SDK and the AWS CLI do, a leading ~ is the home directory.
        Path p = path.equals("~") || path.startsWith("~/") ? Path.of(home + path.substring(1)) : Path.of(path);
        if (Files.isRegularFile(p)) {
            files.addFile(ProfileFile.builder().content(p).type(type).build());
        }
    }

    private static AwsCredentialsProvider webIdentity(
            String roleArn, Path tokenFile, Map<String, String> env, StsClient sts) {
        String session = orElse(env.get("AWS_ROLE_SESSION_NAME"), AssumeRole.DEFAULT_SESSION_NAME);
        return StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(sts)
                .asyncCredentialUpdateEnabled(false)
                // The token file is rotated by the kubelet: read it at every refresh.
                .refreshRequest(() -> AssumeRoleWithWebIdentityRequest.builder()
                        .roleArn(roleArn)
                        .roleSessionName(session)
                        .webIdentityToken(read(tokenFile))
                        .build())
                .build();
    }

    private static String read(Path file) {
        String problem = !Files.exists(file)
                ? " does not exist"
                : Files.isDirectory(file) ? " is a directory; a file is expected" : null;
        if (problem == null) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                problem = " cannot be read by this user";
            }
        }
        throw new InvalidInputException(
                "The web identity token file " + file + " (AWS_WEB_IDENTITY_TOKEN_FILE)" + problem + ".",
                "In a pod with IRSA, the kubelet mounts it: check the service account's eks.amazonaws.com/role-arn"
                        + " annotation and restart the pod; elsewhere, unset AWS_ROLE_ARN and"
                        + " AWS_WEB_IDENTITY_TOKEN_FILE.");
    }

    private static <T> T own(List<AutoCloseable> owned, T provider) {
        if (provider instanceof AutoCloseable closeable) {
            owned.add(closeable);
        }
        return provider;
    }

    private static String orElse(String value, String otherwise) {
        String given = blankToNull(value);
        return given != null ? given : otherwise;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
