package io.jenkins.plugins.fluxcodecommit.codecommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl.Transport;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class CodeCommitUrlTest {
    @Test
    void standardHttpsUrlGivesRegionAndRepository() {
        CodeCommitUrl url = CodeCommitUrl.parse("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet-infra");
        assertThat(url.isCodeCommit()).isTrue();
        assertThat(url.transport()).isEqualTo(Transport.HTTPS);
        assertThat(url.region()).isEqualTo("eu-west-1");
        assertThat(url.repository()).isEqualTo("fleet-infra");
        assertThat(url.path()).isEqualTo("/v1/repos/fleet-infra");
        assertThat(url.isFips()).isFalse();
        assertThat(url.isNonStandardHost()).isFalse();
    }

    @Test
    void fipsHostIsRecognised() {
        CodeCommitUrl url = CodeCommitUrl.parse("https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/r");
        assertThat(url.isFips()).isTrue();
        assertThat(url.region()).isEqualTo("us-gov-west-1");
    }

    @Test
    void chinaHostUsesTheComCnDomain() {
        CodeCommitUrl url = CodeCommitUrl.parse("https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/r");
        assertThat(url.region()).isEqualTo("cn-north-1");
    }

    @Test
    void chinaRegionOnTheGlobalDomainIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("https://git-codecommit.cn-north-1.amazonaws.com/v1/repos/r"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("git-codecommit.cn-north-1.amazonaws.com.cn");
    }

    @Test
    void vpcEndpointHostIsCodeCommitOnANonStandardHost() {
        CodeCommitUrl url = CodeCommitUrl.parse(
                "https://vpce-0123456789abcdef-abcdefgh.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/r");
        assertThat(url.isCodeCommit()).isTrue();
        assertThat(url.region()).isEqualTo("us-east-1");
        assertThat(url.isNonStandardHost()).isTrue();
    }

    @Test
    void sshUrlCarriesTheKeyIdAsUser() {
        CodeCommitUrl url =
                CodeCommitUrl.parse("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-2.amazonaws.com/v1/repos/r");
        assertThat(url.transport()).isEqualTo(Transport.SSH);
        assertThat(url.user()).isEqualTo("APKAEIBAERJR2EXAMPLE");
        assertThat(url.region()).isEqualTo("us-east-2");
    }

    @Test
    void gitRemoteCodecommitFormBecomesTheHttpsUrl() {
        CodeCommitUrl url = CodeCommitUrl.parse("codecommit::ap-southeast-2://ops@fleet");
        assertThat(url.gitUrl()).isEqualTo("https://git-codecommit.ap-southeast-2.amazonaws.com/v1/repos/fleet");
        assertThat(url.profile()).isEqualTo("ops");
        assertThat(url.repository()).isEqualTo("fleet");
    }

    @Test
    void gitRemoteCodecommitFormInChinaUsesComCn() {
        assertThat(CodeCommitUrl.parse("codecommit::cn-northwest-1://fleet").gitUrl())
                .isEqualTo("https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/fleet");
    }

    @Test
    void gitRemoteCodecommitFormWithoutRegionIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("codecommit://fleet"))
                .hasMessageContaining("names no region")
                .hasMessageContaining("codecommit::REGION://fleet");
    }

    @Test
    void iamUserNameAsSshUserIsRefusedWithWhereToFindTheKeyId() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("ssh://alice@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSH user 'alice'")
                .hasMessageContaining("not an SSH key ID")
                .hasMessageContaining("APKA")
                .hasMessageContaining("aws iam list-ssh-public-keys --user-name alice");
    }

    @Test
    void aLowerCaseSshKeyIdIsCalledThatAndTheUpperCaseUrlIsGiven() {
        assertThatThrownBy(() -> CodeCommitUrl.parse(
                        "ssh://apkaeibaerjr2example@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSH user 'apkaeibaerjr2example'")
                .hasMessageContaining("looks like an SSH key ID written in lower case")
                .hasMessageContaining("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/r")
                .hasMessageNotContaining("IAM user name");
    }

    @Test
    void aTruncatedSshKeyIdIsCalledThat() {
        assertThatThrownBy(() ->
                        CodeCommitUrl.parse("ssh://APKAEIBAERJR2EXA@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSH user 'APKAEIBAERJR2EXA'")
                .hasMessageContaining("has only 16 characters")
                .hasMessageContaining("20 characters in all")
                .hasMessageContaining("Copy the whole key ID")
                .hasMessageNotContaining("IAM user name");
    }

    @Test
    void anAccessKeyIdAsSshUserIsCalledThat() {
        assertThatThrownBy(() -> CodeCommitUrl.parse(
                        "ssh://AKIAIOSFODNN7EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is an IAM access key ID, not an SSH key ID");
    }

    @Test
    void gitAsSshUserIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("ssh://git@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("SSH user 'git'")
                .hasMessageContaining("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/r");
    }

    @Test
    void missingSshUserIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("has no SSH user");
    }

    @Test
    void scpLikeCodeCommitUrlIsRefusedWithTheSshForm() {
        assertThatThrownBy(() ->
                        CodeCommitUrl.parse("APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com:v1/repos/r"))
                .hasMessageContaining("scp-like")
                .hasMessageContaining("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/r");
    }

    @Test
    void unknownRegionIsRefusedWithTheClosestKnownOne() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("https://git-codecommit.us-est-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("Unknown AWS region 'us-est-1'")
                .hasMessageContaining("Did you mean 'us-east-1'");
    }

    @Test
    void wrongPathIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("https://git-codecommit.us-east-1.amazonaws.com/repos/r"))
                .hasMessageContaining("/v1/repos/NAME");
    }

    @Test
    void repositoryNameEndingInDotGitIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r.git"))
                .hasMessageContaining("'r.git'");
    }

    @Test
    void plainHttpToCodeCommitIsRefused() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("http://git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("only HTTPS and SSH");
    }

    @Test
    void passwordInUrlIsRefusedAndNotRepeated() {
        assertThatThrownBy(() -> CodeCommitUrl.parse(
                        "https://bob:hunter2hunter2@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("carries credentials")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void otherUrlsArePlainGit() {
        assertThat(CodeCommitUrl.parse("https://github.com/fluxcd/flux2").isCodeCommit())
                .isFalse();
        assertThat(CodeCommitUrl.parse("git@github.com:fluxcd/flux2.git").transport())
                .isEqualTo(Transport.SSH);
        assertThat(CodeCommitUrl.parse("/srv/git/fleet.git").transport()).isEqualTo(Transport.FILE);
        assertThat(CodeCommitUrl.parse("file:///srv/git/fleet.git").transport()).isEqualTo(Transport.FILE);
    }

    @Test
    void nonStandardHostBecomesCodeCommitWithAnExplicitRegion() {
        CodeCommitUrl url = CodeCommitUrl.parse("https://git.internal.example:8443/v1/repos/fleet")
                .asCodeCommit("eu-central-1");
        assertThat(url.isCodeCommit()).isTrue();
        assertThat(url.region()).isEqualTo("eu-central-1");
        assertThat(url.repository()).isEqualTo("fleet");
        assertThat(url.isNonStandardHost()).isTrue();
    }

    @Test
    void sshUserCanBeSwappedForANewKeyId() {
        CodeCommitUrl url =
                CodeCommitUrl.parse("ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/r");
        assertThat(url.withSshUser("APKAZZZZZZZZZZZZZZZZ").gitUrl())
                .isEqualTo("ssh://APKAZZZZZZZZZZZZZZZZ@git-codecommit.us-east-1.amazonaws.com/v1/repos/r");
    }

    @Test
    void sshPasswordInUrlIsRefusedAndNeverRepeated() {
        assertThatThrownBy(() -> CodeCommitUrl.parse(
                        "ssh://APKAEIBAERJR2EXAMPLE:s3cretPassw0rd@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("carries credentials")
                .hasMessageNotContaining("s3cretPassw0rd");
        assertThatThrownBy(() -> CodeCommitUrl.parse("ssh://bob:s3cretPassw0rd@git.example.com/fleet.git"))
                .hasMessageNotContaining("s3cretPassw0rd");
    }

    @Test
    void sessionTokenInAUrlUserIsMasked() {
        assertThatThrownBy(
                        () -> CodeCommitUrl.parse(
                                "https://ASIAEXAMPLEEXAMPLE01%25IQoJb3JpZ2luX2VjEHoa@git-codecommit.us-east-1.amazonaws.com/v1/repos/r"))
                .hasMessageContaining("carries credentials")
                .hasMessageNotContaining("IQoJb3JpZ2luX2VjEHoa");
    }

    @Test
    void redactionKeepsKeyIdsAndMasksPasswordsAndTokens() {
        assertThat(CodeCommitUrl.redactUserInfo("ssh://APKAEIBAERJR2EXAMPLE@h/v1/repos/r"))
                .isEqualTo("ssh://APKAEIBAERJR2EXAMPLE@h/v1/repos/r");
        assertThat(CodeCommitUrl.redactUserInfo("https://u:pa@ss/word@h/p")).isEqualTo("https://u:****@h/p");
        assertThat(CodeCommitUrl.redactUserInfo("https://ASIA%25tok@h/p")).isEqualTo("https://ASIA%****@h/p");
    }

    @Test
    void vpcEndpointHostWithoutPrefixIsNonStandard() {
        assertThat(CodeCommitUrl.parse("https://git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/r")
                        .isNonStandardHost())
                .isTrue();
    }

    @Test
    void keyIdInTheApiAlphabetIsAccepted() {
        assertThat(CodeCommitUrl.parse(
                                "ssh://APKAlowercase_allowed_0@git-codecommit.us-east-1.amazonaws.com/v1/repos/r")
                        .user())
                .isEqualTo("APKAlowercase_allowed_0");
    }

    @Test
    void textWithoutSchemeIsRefusedClearly() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("repo/x://y")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void plainHttpCannotBeTreatedAsCodeCommit() {
        assertThatThrownBy(() -> CodeCommitUrl.parse("http://git.internal.example/v1/repos/r")
                        .asCodeCommit("us-east-1"))
                .hasMessageContaining("HTTPS or SSH only");
    }
}
