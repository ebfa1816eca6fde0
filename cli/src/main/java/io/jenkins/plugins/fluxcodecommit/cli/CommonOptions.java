package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.adapter.InputFile;
import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that reach a repository. Secrets are read from files or the
 * environment, never from the command line, where process listings and shell history keep them.
 */
final class CommonOptions {
    /** A command that receives its environment from {@link Main}. */
    interface NeedsEnvironment {
        void environment(Map<String, String> environment);
    }

    /** A command with a --debug switch. */
    interface Debuggable {
        boolean debug();
    }

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "AWS region. Default: from the repository URL, else $AWS_REGION.")
    String region;

    @Option(
            names = "--access-key-id",
            paramLabel = "ID",
            description = "IAM access key ID; the secret key is read from --secret-access-key-file or"
                    + " $AWS_SECRET_ACCESS_KEY. Without it, the default AWS chain is used.")
    String accessKeyId;

    @Option(
            names = "--secret-access-key-file",
            paramLabel = "FILE",
            description = "File holding the secret access key.")
    Path secretAccessKeyFile;

    @Option(
            names = "--session-token-file",
            paramLabel = "FILE",
            description = "File holding the session token of temporary keys (else $AWS_SESSION_TOKEN).")
    Path sessionTokenFile;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile for the default chain.")
    String profile;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM role to assume with STS.")
    String roleArn;

    @Option(names = "--external-id", paramLabel = "ID", description = "External ID for the role.")
    String externalId;

    @Option(
            names = "--role-session-name",
            paramLabel = "NAME",
            description = "Role session name (default: ${DEFAULT-VALUE}).",
            defaultValue = AssumeRole.DEFAULT_SESSION_NAME)
    String roleSessionName;

    @Option(
            names = "--username",
            paramLabel = "NAME",
            description = "HTTPS Git credentials user name; password from --password-file or $GIT_PASSWORD.")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the HTTPS Git password.")
    Path passwordFile;

    @Option(
            names = "--private-key-file",
            paramLabel = "FILE",
            description = "SSH private key (PEM, PKCS#8 or OpenSSH) for SSH URLs.")
    Path privateKeyFile;

    @Option(
            names = "--passphrase-file",
            paramLabel = "FILE",
            description = "File holding the SSH key's passphrase (else $SSH_KEY_PASSPHRASE).")
    Path passphraseFile;

    @Option(
            names = "--known-hosts-file",
            paramLabel = "FILE",
            description = "known_hosts for the SSH host. Default: for bootstrap, the one pinned in the cluster's"
                    + " source secret; else scan the host once, as flux bootstrap does (CodeCommit hosts are"
                    + " checked against the fingerprints AWS publishes).")
    Path knownHostsFile;

    @Option(names = "--sts-endpoint", paramLabel = "URL", description = "STS endpoint (VPC endpoint, FIPS, emulator).")
    URI stsEndpoint;

    @Option(names = "--iam-endpoint", paramLabel = "URL", description = "IAM endpoint override.")
    URI iamEndpoint;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM file of CA certificates to trust in addition to the JVM's (a corporate TLS proxy,"
                    + " a private CA), for Git over HTTPS, STS, IAM, EKS and the Kubernetes API.")
    Path caFile;

    /** The IAM identity given, or {@code null} when the URL is not reached with IAM. */
    AwsIdentity identity(Map<String, String> env, boolean httpsCodeCommit) {
        requireKeyIdWithItsFiles();
        AwsIdentity base = null;
        if (accessKeyId != null) {
            base = keys(env);
        } else if (profile != null) {
            base = new DefaultChain(profile);
        }
        if (roleArn != null) {
            return new AssumeRole(base, roleArn, externalId, roleSessionName, null);
        }
        if (externalId != null) {
            throw new InvalidInputException(
                    "--external-id was given without --role-arn; an external ID belongs to a role to assume.",
                    "Give the role with --role-arn ARN, or drop --external-id.");
        }
        if (base == null && httpsCodeCommit && username == null && passwordFile == null) {
            return DefaultChain.create();
        }
        return base;
    }

    // A secret or token file says which key it belongs to only through --access-key-id.
    private void requireKeyIdWithItsFiles() {
        if (accessKeyId == null && (secretAccessKeyFile != null || sessionTokenFile != null)) {
            String given = secretAccessKeyFile != null
                    ? "--secret-access-key-file " + secretAccessKeyFile
                    : "--session-token-file " + sessionTokenFile;
            throw new InvalidInputException(
                    given + " was given without --access-key-id.",
                    "Give the ID of the key the secret belongs to with --access-key-id ID (AKIA… or ASIA…).");
        }
        if (accessKeyId != null && profile != null) {
            throw new InvalidInputException(
                    "Both --access-key-id " + accessKeyId + " and --profile " + profile + " were given.",
                    "Give either the key (with its secret) or the profile, not both.");
        }
    }

    private AwsKeys keys(Map<String, String> env) {
        String secret = secretAccessKeyFile != null
                ? new InputFile(secretAccessKeyFile, "--secret-access-key-file")
                        .secret()
                        .reveal()
                : env.get("AWS_SECRET_ACCESS_KEY");
        if (secret == null) {
            throw new InvalidInputException(
                    "--access-key-id " + accessKeyId + " was given without its secret key.",
                    "Give --secret-access-key-file FILE or set AWS_SECRET_ACCESS_KEY.");
        }
        // A token from the environment belongs to the environment's key, not to a key from a file.
        boolean envToken = sessionTokenFile == null && secretAccessKeyFile == null;
        Secret token = sessionTokenFile != null
                ? new InputFile(sessionTokenFile, "--session-token-file").secret()
                : envToken ? Secret.of(env.get("AWS_SESSION_TOKEN")) : null;
        return AwsKeys.given(
                accessKeyId,
                Secret.of(secret),
                token,
                "--access-key-id",
                sessionTokenFile != null ? "--session-token-file " + sessionTokenFile : "$AWS_SESSION_TOKEN",
                secretAccessKeyFile != null
                        ? "--session-token-file FILE (with --secret-access-key-file, $AWS_SESSION_TOKEN is not"
                                + " read: it belongs to the environment's key)"
                        : "--session-token-file FILE or $AWS_SESSION_TOKEN");
    }

    Secret password(Map<String, String> env) {
        if (passwordFile != null) {
            return new InputFile(passwordFile, "--password-file").secret();
        }
        return username == null ? null : Secret.of(env.get("GIT_PASSWORD"));
    }

    Secret privateKey() {
        return privateKeyFile == null ? null : Secret.of(new InputFile(privateKeyFile, "--private-key-file").text());
    }

    Secret passphrase(Map<String, String> env) {
        if (passphraseFile != null) {
            return new InputFile(passphraseFile, "--passphrase-file").secret();
        }
        return Secret.of(env.get("SSH_KEY_PASSPHRASE"));
    }

    String knownHosts() {
        if (knownHostsFile == null) {
            return null;
        }
        String text = new InputFile(knownHostsFile, "--known-hosts-file").text();
        if (text.isBlank()) {
            // An empty file must not read as "no known_hosts", which would scan the host instead.
            throw new InvalidInputException(
                    "The known_hosts file " + knownHostsFile + " is empty.",
                    "Put the host's line in it (ssh-keyscan HOST), or leave out --known-hosts-file to scan the host.");
        }
        return text;
    }

    AwsSettings aws() {
        return AwsSettings.defaults()
                .withStsEndpoint(stsEndpoint)
                .withIamEndpoint(iamEndpoint)
                .withCaFile(caFile == null ? null : caFile.toString());
    }
}
