package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.check.AccessCheck;
import io.jenkins.plugins.fluxcodecommit.check.AccessCheckRequest;
import io.jenkins.plugins.fluxcodecommit.check.AccessCheckResult;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flux-codecommit check URL}: proves an identity can read a repository. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check that an identity can read a repository, and list its branches.",
            "",
            "HTTPS CodeCommit URLs use IAM: temporary SigV4 Git credentials from an access key, an assumed role"
                    + " or the default AWS chain (environment, profile, IRSA, EKS Pod Identity, instance profile)."
                    + " SSH URLs use a private key whose IAM SSH key ID is the URL's user.",
        },
        footer = {
            "",
            "Examples:",
            "  flux-codecommit check \\",
            "    https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
            "  AWS_SECRET_ACCESS_KEY=... flux-codecommit check --access-key-id AKIA... \\",
            "    https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
            "  host=git-codecommit.eu-west-1.amazonaws.com",
            "  flux-codecommit check --private-key-file id_rsa \\",
            "    ssh://APKAEIBAERJR2EXAMPLE@$host/v1/repos/fleet",
        })
final class CheckCommand extends EngineCommand {
    @Parameters(
            index = "0",
            paramLabel = "URL",
            description = {"Repository URL: https://… or ssh://…, or", "codecommit::REGION://NAME."})
    String url;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Limit for each connection to the repository and for the SSH host key scan, in"
                    + " seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "120")
    long timeoutSeconds;

    @Override
    public Integer call() {
        AccessCheckRequest request = new AccessCheckRequest(
                url,
                identityFor(url),
                options.region,
                options.username,
                options.password(environment),
                options.privateKey(),
                options.passphrase(environment),
                options.knownHosts(),
                options.aws(),
                Duration.ofSeconds(timeoutSeconds));
        var out = spec.commandLine().getOut();
        AccessCheckResult result = new AccessCheck(request, environment).call(message -> out.println("  " + message));
        out.println("Repository: " + result.url());
        out.println("Identity:   " + result.identity());
        if (result.callerArn() != null) {
            out.println("AWS ARN:    " + result.callerArn());
        }
        if (result.accessKeyId() != null) {
            out.println("Access key: " + result.accessKeyId());
        }
        if (result.heads().isEmpty()) {
            out.println("Branches:   none (the repository is empty)");
        } else {
            out.println("Branches:");
            result.heads()
                    .branches()
                    .forEach((branch, commit) -> out.println("  " + branch + " " + commit
                            + (branch.equals(result.heads().head()) ? " (HEAD)" : "")));
        }
        out.flush();
        return 0;
    }
}
