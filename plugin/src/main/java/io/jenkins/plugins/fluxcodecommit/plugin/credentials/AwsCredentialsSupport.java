package io.jenkins.plugins.fluxcodecommit.plugin;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The optional aws-credentials plugin: its classes are touched only through this class, and only
 * once {@link #installed()} says the plugin is there.
 */
final class AwsCredentialsSupport {
    private AwsCredentialsSupport() {}

    static boolean installed() {
        return Identities.pluginInstalled("aws-credentials");
    }

    /**
     * The keys of an AWS credential at this moment. The aws-credentials plugin assumes its own
     * configured role here, on the controller, as it always does; the keys then go to the agent.
     */
    @CheckForNull
    static CodeCommitIdentity toIdentity(Credentials c) {
        if (!(c instanceof AmazonWebServicesCredentials aws)) {
            return null;
        }
        AwsCredentials keys = aws.resolveCredentials();
        return CodeCommitIdentity.ofKeys(
                keys.accessKeyId(),
                io.jenkins.plugins.fluxcodecommit.secret.Secret.of(keys.secretAccessKey()),
                keys instanceof AwsSessionCredentials session
                        ? io.jenkins.plugins.fluxcodecommit.secret.Secret.of(session.sessionToken())
                        : null);
    }

    /** Matches AWS credentials without loading their class when the plugin is absent. */
    static final class Matcher implements CredentialsMatcher {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean matches(@NonNull Credentials item) {
            return installed() && item instanceof AmazonWebServicesCredentials;
        }
    }
}
