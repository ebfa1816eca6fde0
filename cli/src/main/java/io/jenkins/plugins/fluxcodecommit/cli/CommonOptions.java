package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.aws.AssumeRole;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.aws.DefaultChain;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
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
            description = "SSH private key (PEM, PKCS#8 or OpenSSH) for ssh:// URLs.")
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

    /** The IAM identity given, or {@code null} when the URL is not reached with IAM. */
    AwsIdentity identity(Map<String, String> env, boolean httpsCodeCommit) {
        AwsIdentity base = null;
        if (accessKeyId != null) {
            String secret = secretAccessKeyFile != null ? read(secretAccessKeyFile) : env.get("AWS_SECRET_ACCESS_KEY");
            if (secret == null) {
                throw new InvalidInputException(
                        "--access-key-id " + accessKeyId + " was given without its secret key.",
                        "Give --secret-access-key-file FILE or set AWS_SECRET_ACCESS_KEY.");
            }
            // A token from the environment belongs to the environment's key, not to a key from a file.
            String token = sessionTokenFile != null
                    ? read(sessionTokenFile)
                    : secretAccessKeyFile == null ? env.get("AWS_SESSION_TOKEN") : null;
            base = new AwsKeys(accessKeyId, Secret.of(secret), Secret.of(token));
        } else if (profile != null) {
            base = new DefaultChain(profile);
        }
        if (roleArn != null) {
            return new AssumeRole(base, roleArn, externalId, roleSessionName, null);
        }
        if (base == null && httpsCodeCommit && username == null && passwordFile == null) {
            return DefaultChain.create();
        }
        return base;
    }

    Secret password(Map<String, String> env) {
        if (passwordFile != null) {
            return Secret.of(read(passwordFile));
        }
        return username == null ? null : Secret.of(env.get("GIT_PASSWORD"));
    }

    Secret privateKey() {
        return privateKeyFile == null ? null : Secret.of(readRaw(privateKeyFile));
    }

    Secret passphrase(Map<String, String> env) {
        if (passphraseFile != null) {
            return Secret.of(read(passphraseFile));
        }
        return Secret.of(env.get("SSH_KEY_PASSPHRASE"));
    }

    String knownHosts() {
        if (knownHostsFile == null) {
            return null;
        }
        String text = readRaw(knownHostsFile);
        if (text.isBlank()) {
            // An empty file must not read as "no known_hosts", which would scan the host instead.
            throw new InvalidInputException(
                    "The known_hosts file " + knownHostsFile + " is empty.",
                    "Put the host's line in it (ssh-keyscan HOST), or leave out --known-hosts-file to scan the host.");
        }
        return text;
    }

    AwsSettings aws() {
        return AwsSettings.defaults().withStsEndpoint(stsEndpoint).withIamEndpoint(iamEndpoint);
    }

    private static String read(Path file) {
        return readRaw(file).strip();
    }

    private static String readRaw(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "Cannot read " + file + ": " + e.getClass().getSimpleName() + ".",
                    "Check the path and that this user may read it.");
        }
    }
}
