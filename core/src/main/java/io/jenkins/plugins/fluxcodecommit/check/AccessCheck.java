package io.jenkins.plugins.fluxcodecommit.check;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.RegionChoice;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.git.RemoteHeads;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import java.util.Map;

/** Proves that an identity reaches a repository: resolves it, asks STS who it is, lists branches. */
public final class AccessCheck {
    private final AccessCheckRequest request;
    private final Map<String, String> environment;

    public AccessCheck(AccessCheckRequest request, Map<String, String> environment) {
        this.request = request;
        this.environment = Map.copyOf(environment);
    }

    public AccessCheckResult call(ProgressListener listener) {
        Redactor redactor = Redactor.of(request.password(), request.sshPrivateKey(), request.sshPassphrase());
        ProgressListener log = ProgressListener.redacting(listener, redactor);
        CodeCommitUrl url = CodeCommitUrl.parse(request.url());
        GitAuth auth = GitAuth.choose(
                url,
                request.identity(),
                request.region(),
                request.username(),
                request.password(),
                request.sshPrivateKey(),
                request.sshPassphrase(),
                request.knownHosts());
        try (AwsClients aws = new AwsClients(request.aws(), redactor, environment)) {
            String callerArn = null;
            String identity;
            if (auth instanceof GitAuth.Iam iam) {
                CodeCommitUrl target =
                        url.isCodeCommit() || request.region() == null ? url : url.asCodeCommit(request.region());
                String region = RegionChoice.resolve(request.region(), target, environment)
                        .region();
                callerArn = aws.callerIdentity(iam.identity(), region).arn();
                identity = iam.identity().describe();
                log.info("AWS identity: " + callerArn);
            } else if (auth instanceof GitAuth.SshKey ssh) {
                identity = "SSH key ID " + url.user() + " ("
                        + SshKeyPair.parse(ssh.privateKey(), ssh.passphrase()).fingerprintSha256() + ")";
            } else if (auth instanceof GitAuth.Basic basic) {
                identity = "HTTPS Git credentials of " + basic.username();
            } else {
                identity = "no credentials";
            }
            try (GitAccess access = GitAccess.builder(url, auth)
                    .aws(aws)
                    .redactor(redactor)
                    .listener(log)
                    .environment(environment)
                    .timeout(request.timeout())
                    .open()) {
                RemoteHeads heads = access.lsRemote();
                return new AccessCheckResult(
                        access.url().toString(),
                        identity,
                        access.iamAccessKeyId(),
                        callerArn,
                        heads,
                        access.knownHosts());
            }
        }
    }
}
