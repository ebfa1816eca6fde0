package io.jenkins.plugins.fluxcodecommit.plugin.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The AWS endpoints every step of this plugin uses, set by administrators: VPC interface
 * endpoints or FIPS endpoints for private networks. They are here and not in the steps because
 * whoever sets them decides whom the steps trust to say which credential is valid: a job that could
 * point IAM or STS anywhere could make a rotation "create" any secret and have it written back into
 * a Jenkins credential.
 */
@Extension
@Symbol("fluxCodeCommit")
public final class FluxCodeCommitConfiguration extends GlobalConfiguration {
    private String stsEndpoint;
    private String iamEndpoint;
    private String eksEndpoint;

    public FluxCodeCommitConfiguration() {
        load();
    }

    @NonNull
    public static FluxCodeCommitConfiguration get() {
        return GlobalConfiguration.all().getInstance(FluxCodeCommitConfiguration.class);
    }

    public String getStsEndpoint() {
        return stsEndpoint;
    }

    @DataBoundSetter
    public void setStsEndpoint(String stsEndpoint) {
        this.stsEndpoint = endpoint(stsEndpoint);
        save();
    }

    public String getIamEndpoint() {
        return iamEndpoint;
    }

    @DataBoundSetter
    public void setIamEndpoint(String iamEndpoint) {
        this.iamEndpoint = endpoint(iamEndpoint);
        save();
    }

    public String getEksEndpoint() {
        return eksEndpoint;
    }

    @DataBoundSetter
    public void setEksEndpoint(String eksEndpoint) {
        this.eksEndpoint = endpoint(eksEndpoint);
        save();
    }

    /** The endpoints as the engine takes them; the SDK's regional defaults where none is set. */
    public AwsSettings aws() {
        return AwsSettings.defaults()
                .withStsEndpoint(uri(stsEndpoint))
                .withIamEndpoint(uri(iamEndpoint))
                .withEksEndpoint(uri(eksEndpoint));
    }

    @POST
    public FormValidation doCheckStsEndpoint(@QueryParameter String value) {
        return check(value);
    }

    @POST
    public FormValidation doCheckIamEndpoint(@QueryParameter String value) {
        return check(value);
    }

    @POST
    public FormValidation doCheckEksEndpoint(@QueryParameter String value) {
        return check(value);
    }

    private static FormValidation check(String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            endpoint(value);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @CheckForNull
    private static String endpoint(String value) {
        String s = Util.fixEmptyAndTrim(value);
        uri(s);
        return s;
    }

    @CheckForNull
    private static URI uri(@CheckForNull String s) {
        if (s == null) {
            return null;
        }
        try {
            URI uri = new URI(s);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(s, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException(
                    "'" + s + "' is not an endpoint URL: " + e.getReason() + ".",
                    "Give the endpoint as https://HOST, e.g. https://sts.eu-west-1.amazonaws.com.");
        }
    }
}
