package io.jenkins.plugins.fluxcodecommit.plugin.credentials;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.fluxcodecommit.adapter.CodeCommitIdentity;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The optional aws-credentials plugin: its classes are touched only through this class, and only
 * once {@link #installed()} says the plugin is there.
 */
@Restricted(NoExternalUse.class)
public final class AwsCredentialsSupport {
    private AwsCredentialsSupport() {}

    public static boolean installed() {
        return Identities.pluginInstalled("aws-credentials");
    }

    /**
     * The keys of an AWS credential at this moment. The aws-credentials plugin assumes its own
     * configured role here, on the controller, as it always does; the keys then go to the agent.
     */
    @CheckForNull
    static CodeCommitIdentity toIdentity(Credentials c, String id) throws AbortException {
        if (!(c instanceof AmazonWebServicesCredentials aws)) {
            return null;
        }
        AwsCredentials keys = aws.resolveCredentials();
        if (keys == null) {
            // Blank keys and no role: that plugin's way of saying "Jenkins's own AWS identity", which
            // it resolves where it runs, on the controller. Do the same, and say so when there is none.
            keys = controllerIdentity(id);
        }
        return CodeCommitIdentity.ofKeys(
                keys.accessKeyId(),
                io.jenkins.plugins.fluxcodecommit.secret.Secret.of(keys.secretAccessKey()),
                keys instanceof AwsSessionCredentials session
                        ? io.jenkins.plugins.fluxcodecommit.secret.Secret.of(session.sessionToken())
                        : null);
    }

    private static AwsCredentials controllerIdentity(String id) throws AbortException {
        try (DefaultCredentialsProvider chain =
                DefaultCredentialsProvider.builder().build()) {
            return chain.resolveCredentials();
        } catch (SdkClientException e) {
            throw new AbortException("AWS credential '" + id + "' has no keys, which means the controller's own AWS"
                    + " identity, and the controller has none (no AWS environment variables, profile, IRSA, Pod"
                    + " Identity or instance profile). Give the credential keys, or give the controller an AWS"
                    + " identity.");
        }
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
