package io.jenkins.plugins.fluxcodecommit.adapter;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.aws.RegionChoice;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS environment variables of an identity's IAM half, as {@code withCredentials} binds them
 * for tools such as the AWS CLI or git-remote-codecommit: the keys themselves, or, when a role is
 * configured, the temporary keys of a session of that role assumed where this runs (the agent).
 */
public final class AwsEnvironment {
    private AwsEnvironment() {}

    /**
     * @param environment the build's environment, for the region when the identity names none
     * @return {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}
     *     (temporary keys only), and {@code AWS_REGION}/{@code AWS_DEFAULT_REGION} when known
     */
    public static Map<String, String> of(
            CodeCommitIdentity identity, AwsSettings settings, Map<String, String> environment) {
        AwsIdentity aws = identity.awsIdentity();
        if (aws == null) {
            throw new InvalidInputException(
                    "The credential " + identity.describe() + " has no IAM half to bind.",
                    "Add an access key or a role to the credential, or bind only its SSH half.");
        }
        String region = identity.region();
        if (region == null && aws instanceof io.jenkins.plugins.fluxcodecommit.aws.AssumeRole) {
            region = RegionChoice.resolve(null, null, environment).region();
        }
        AwsKeys keys;
        if (aws instanceof AwsKeys plain) {
            keys = plain;
        } else {
            try (AwsClients clients = new AwsClients(settings, new Redactor(), environment)) {
                keys = clients.resolve(clients.credentials(aws, region), aws);
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
        vars.put("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey().reveal());
        if (keys.sessionToken() != null) {
            vars.put("AWS_SESSION_TOKEN", keys.sessionToken().reveal());
        }
        if (region != null) {
            vars.put("AWS_REGION", region);
            vars.put("AWS_DEFAULT_REGION", region);
        }
        return vars;
    }
}
