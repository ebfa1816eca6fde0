package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Polls, bounded, until a new credential works where its consumers will use it: STS
 * GetCallerIdentity for an access key, a Git fetch of the repository's refs with an SSH key (under
 * its key ID) or an HTTPS Git credential. IAM changes take seconds to spread.
 */
final class CredentialProbe {
    private final RotationContext ctx;
    private final List<TargetAdapter> targets;

    CredentialProbe(RotationContext ctx, List<TargetAdapter> targets) {
        this.ctx = ctx;
        this.targets = targets;
    }

    void await(NewCredential created) {
        // Outside the polling: a missing URL is the user's to fix, not IAM's to spread.
        String url = created.kind() == CredentialKind.ACCESS_KEY ? null : repositoryUrl();
        Instant deadline = ctx.now().plus(ctx.request().verifyTimeout());
        RuntimeException last = null;
        while (ctx.now().isBefore(deadline)) {
            try {
                ctx.log().info("Verified " + created.id() + " " + probe(created, url));
                return;
            } catch (FluxCodeCommitException e) {
                last = e;
            }
            ctx.pause();
        }
        throw new RemoteOperationException(
                "The new " + ctx.kind() + " " + created.id() + " did not work within "
                        + ctx.request().verifyTimeout() + ": " + (last == null ? "" : last.getMessage()),
                "IAM changes can take a minute to reach every region; raise the verification timeout, and check"
                        + " the user's codecommit:GitPull permission.");
    }

    private String probe(NewCredential created, String url) {
        switch (created.kind()) {
            case ACCESS_KEY -> {
                String arn = ctx.aws()
                        .callerIdentity(new AwsKeys(created.id(), created.secret(), null), ctx.region())
                        .arn();
                return "with STS: " + arn;
            }
            case HTTPS_GIT_CREDENTIAL -> {
                fetch(CodeCommitUrl.parse(url), new GitAuth.Basic(created.gitUserName(), created.secret()));
                return "(" + created.gitUserName() + ") with Git over HTTPS";
            }
            case SSH_KEY -> {
                fetch(
                        CodeCommitUrl.parse(url).withSshUser(created.id()),
                        new GitAuth.SshKey(created.secret(), null, knownHosts()));
                return "with Git over SSH";
            }
            default -> throw new IllegalStateException(created.kind().toString());
        }
    }

    private void fetch(CodeCommitUrl url, GitAuth auth) {
        try (GitAccess git = GitAccess.builder(url, auth)
                .redactor(ctx.redactor())
                .aws(ctx.aws())
                .environment(ctx.environment())
                .open()) {
            git.lsRemote();
        }
    }

    private String repositoryUrl() {
        for (TargetAdapter t : targets) {
            Optional<String> url = t.repositoryUrl();
            if (url.isPresent()) {
                return url.get();
            }
        }
        if (ctx.request().repositoryUrl() == null) {
            throw new InvalidInputException(
                    "No repository URL to verify the new SSH key on.",
                    "Give the repository URL, or a Flux source target (its GitRepository names it).");
        }
        return ctx.request().repositoryUrl();
    }

    String knownHosts() {
        return targets.stream()
                .map(TargetAdapter::knownHosts)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(null);
    }
}
