package io.jenkins.plugins.fluxcodecommit.plugin.internal;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.fluxcodecommit.adapter.FormCheck;
import io.jenkins.plugins.fluxcodecommit.plugin.credentials.Identities;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** Form helpers the steps, builders and the credential share. */
@Restricted(NoExternalUse.class)
public final class Forms {
    private Forms() {}

    public static FormValidation validation(FormCheck check) {
        return switch (check.level()) {
            case OK -> check.message() == null ? FormValidation.ok() : FormValidation.ok(check.message());
            case WARNING -> FormValidation.warning(check.message());
            case ERROR -> FormValidation.error(check.message());
        };
    }

    /** Whether the user may see the job's configuration, and so the answers of its form checks. */
    public static boolean canConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /** Credentials a job could use for a CodeCommit identity: the kinds {@link Identities} resolves. */
    public static ListBoxModel identities(@CheckForNull Item item, @CheckForNull String current) {
        return credentials(item, current, Identities.MATCHER);
    }

    /** Credentials that can hold a kubeconfig: a secret file, or secret text. */
    public static ListBoxModel kubeconfigs(@CheckForNull Item item, @CheckForNull String current) {
        return credentials(
                item,
                current,
                CredentialsMatchers.anyOf(
                        CredentialsMatchers.instanceOf(FileCredentials.class),
                        CredentialsMatchers.instanceOf(StringCredentials.class)));
    }

    private static ListBoxModel credentials(
            @CheckForNull Item item,
            @CheckForNull String current,
            com.cloudbees.plugins.credentials.CredentialsMatcher matcher) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null
                ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return current == null ? result : result.includeCurrentValue(current);
        }
        result.includeEmptyValue()
                .includeMatchingAs(
                        item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item,
                        StandardCredentials.class,
                        List.of(),
                        matcher);
        return current == null ? result : result.includeCurrentValue(current);
    }
}
