package io.jenkins.plugins.fluxcodecommit.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What withCredentials binds for the IAM half, checked against moto's STS. */
class AwsEnvironmentTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private final AwsSettings settings = AwsSettings.defaults().withStsEndpoint(MOTO.endpoint());

    @Test
    void plainKeysAreBoundAsTheyAre() {
        AwsKeys keys = MOTO.createUserWithKey("binding-plain");
        CodeCommitIdentity id = new CodeCommitIdentity(
                null,
                keys.accessKeyId(),
                keys.secretAccessKey(),
                null,
                null,
                null,
                "eu-west-1",
                null,
                null,
                null,
                null,
                null);
        Map<String, String> vars = AwsEnvironment.of(id, settings, Map.of());
        assertThat(vars)
                .containsEntry("AWS_ACCESS_KEY_ID", keys.accessKeyId())
                .containsEntry("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey().reveal())
                .containsEntry("AWS_REGION", "eu-west-1")
                .doesNotContainKey("AWS_SESSION_TOKEN");
    }

    @Test
    void aRoleIsAssumedAndItsSessionBound() {
        AwsKeys keys = MOTO.createUserWithKey("binding-role-source");
        String roleArn = MOTO.createRole("binding-role");
        CodeCommitIdentity id = new CodeCommitIdentity(
                null,
                keys.accessKeyId(),
                keys.secretAccessKey(),
                null,
                roleArn,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        Map<String, String> vars = AwsEnvironment.of(id, settings, Map.of("AWS_REGION", "us-west-2"));
        assertThat(vars.get("AWS_ACCESS_KEY_ID")).isNotEqualTo(keys.accessKeyId());
        assertThat(vars).containsKey("AWS_SESSION_TOKEN").containsEntry("AWS_REGION", "us-west-2");
        // The bound keys are the role's session, as STS sees them.
        AwsKeys bound = new AwsKeys(
                vars.get("AWS_ACCESS_KEY_ID"),
                Secret.of(vars.get("AWS_SECRET_ACCESS_KEY")),
                Secret.of(vars.get("AWS_SESSION_TOKEN")));
        try (AwsClients clients = new AwsClients(settings, new Redactor(), Map.of())) {
            assertThat(clients.callerIdentity(bound, "us-west-2").arn()).contains(":assumed-role/binding-role/");
        }
    }

    @Test
    void aRoleWithoutKeysIsAssumedFromTheKeysOfTheStepsEnvironment() {
        // withAWS or withCredentials around the step: its keys are in the build's environment only.
        AwsKeys keys = MOTO.createUserWithKey("binding-env-source");
        String roleArn = MOTO.createRole("binding-env-role");
        CodeCommitIdentity id =
                new CodeCommitIdentity(null, null, null, null, roleArn, null, null, null, null, null, null, null);
        Map<String, String> vars = AwsEnvironment.of(
                id,
                settings,
                Map.of(
                        "AWS_REGION",
                        "us-west-2",
                        "AWS_ACCESS_KEY_ID",
                        keys.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY",
                        keys.secretAccessKey().reveal()));
        AwsKeys bound = new AwsKeys(
                vars.get("AWS_ACCESS_KEY_ID"),
                Secret.of(vars.get("AWS_SECRET_ACCESS_KEY")),
                Secret.of(vars.get("AWS_SESSION_TOKEN")));
        try (AwsClients clients = new AwsClients(settings, new Redactor(), Map.of())) {
            assertThat(clients.callerIdentity(bound, "us-west-2").arn()).contains(":assumed-role/binding-env-role/");
        }
    }

    @Test
    void anSshOnlyCredentialHasNothingToBind() {
        CodeCommitIdentity ssh = CodeCommitIdentity.ofSsh("APKAEIBAERJR2EXAMPLE", Secret.of("k"), null);
        assertThatThrownBy(() -> AwsEnvironment.of(ssh, settings, Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no IAM half");
    }
}
