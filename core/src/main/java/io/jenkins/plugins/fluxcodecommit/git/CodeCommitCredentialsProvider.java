package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.codecommit.GitCredentialSigner;
import io.jenkins.plugins.fluxcodecommit.codecommit.GitHttpCredential;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Answers JGit's request for HTTPS credentials with a freshly signed CodeCommit password, so every
 * connection gets one valid for the next 15 minutes however long the whole operation runs, and
 * role credentials are re-read (and refreshed by the SDK) each time.
 */
final class CodeCommitCredentialsProvider extends CredentialsProvider {
    private final CodeCommitUrl url;
    private final String region;
    private final AwsClients aws;
    private final AwsCredentialsProvider credentials;
    private final AwsIdentity identity;
    private final Clock clock;
    private final Redactor redactor;
    private final AtomicReference<GitHttpCredential> last = new AtomicReference<>();

    CodeCommitCredentialsProvider(
            CodeCommitUrl url,
            String region,
            AwsClients aws,
            AwsCredentialsProvider credentials,
            AwsIdentity identity,
            Clock clock,
            Redactor redactor) {
        this.url = url;
        this.region = region;
        this.aws = aws;
        this.credentials = credentials;
        this.identity = identity;
        this.clock = clock;
        this.redactor = redactor;
    }

    @Override
    public boolean isInteractive() {
        return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        for (CredentialItem item : items) {
            if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
        GitHttpCredential credential = sign();
        for (CredentialItem item : items) {
            if (item instanceof CredentialItem.Username username) {
                username.setValue(credential.username().reveal());
            } else if (item instanceof CredentialItem.Password password) {
                password.setValue(credential.password().reveal().toCharArray());
            } else {
                throw new UnsupportedCredentialItem(uri, item.getClass().getSimpleName() + ":" + item.getPromptText());
            }
        }
        return true;
    }

    GitHttpCredential sign() {
        AwsKeys keys = aws.resolve(credentials, identity);
        // The host is signed without the port, the path is the repository's, as CodeCommit verifies them.
        GitHttpCredential credential = GitCredentialSigner.sign(keys, region, url.host(), url.path(), clock.instant());
        redactor.add(credential.username(), credential.password());
        last.set(credential);
        return credential;
    }

    /** The access key ID last used, for reports. */
    String lastAccessKeyId() {
        GitHttpCredential credential = last.get();
        return credential == null ? null : credential.accessKeyId();
    }
}
