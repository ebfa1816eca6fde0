package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NetworkFailure;
import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.SSHPublicKey;
import software.amazon.awssdk.services.iam.model.StatusType;

/** {@link IamCredentials} over the AWS SDK, with errors that name the IAM action and the fix. */
public final class SdkIamCredentials implements IamCredentials {
    /** Flux's documentation asks for RSA 4096. */
    static final int SSH_KEY_BITS = 4096;

    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]+)</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private final IamClient iam;
    private final Redactor redactor;
    private final String caller;

    public SdkIamCredentials(IamClient iam, Redactor redactor) {
        this(iam, redactor, null);
    }

    /** @param caller the identity that calls IAM, as {@code AwsIdentity.describe()} names it, for messages */
    public SdkIamCredentials(IamClient iam, Redactor redactor, String caller) {
        this.iam = iam;
        this.redactor = redactor;
        this.caller = caller;
    }

    static final String CODECOMMIT = "codecommit.amazonaws.com";

    @Override
    public List<IamCredential> list(String user, CredentialKind kind) {
        if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            return call(
                            "iam:ListServiceSpecificCredentials",
                            user,
                            () -> iam.listServiceSpecificCredentials(
                                            b -> b.userName(user).serviceName(CODECOMMIT))
                                    .serviceSpecificCredentials())
                    .stream()
                    .map(k -> new IamCredential(
                            k.serviceSpecificCredentialId(),
                            k.status() == StatusType.ACTIVE,
                            k.createDate(),
                            null,
                            k.serviceUserName()))
                    .toList();
        }
        if (kind == CredentialKind.ACCESS_KEY) {
            List<AccessKeyMetadata> keys = call(
                    "iam:ListAccessKeys",
                    user,
                    () -> iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata());
            return keys.stream()
                    .map(k -> {
                        var used = call(
                                "iam:GetAccessKeyLastUsed",
                                user,
                                () -> iam.getAccessKeyLastUsed(b -> b.accessKeyId(k.accessKeyId()))
                                        .accessKeyLastUsed());
                        return new IamCredential(
                                k.accessKeyId(),
                                k.status() == StatusType.ACTIVE,
                                k.createDate(),
                                used.lastUsedDate(),
                                null,
                                used.lastUsedDate() == null ? null : used.serviceName());
                    })
                    .toList();
        }
        return call(
                        "iam:ListSSHPublicKeys",
                        user,
                        () -> iam.listSSHPublicKeys(b -> b.userName(user)).sshPublicKeys())
                .stream()
                .map(k -> new IamCredential(k.sshPublicKeyId(), k.status() == StatusType.ACTIVE, k.uploadDate(), null))
                .toList();
    }

    @Override
    public NewCredential create(String user, CredentialKind kind) {
        if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            var c = call(
                    "iam:CreateServiceSpecificCredential",
                    user,
                    () -> iam.createServiceSpecificCredential(
                                    b -> b.userName(user).serviceName(CODECOMMIT))
                            .serviceSpecificCredential());
            return gitCredential(user, c.serviceSpecificCredentialId(), c.serviceUserName(), c.servicePassword());
        }
        if (kind == CredentialKind.ACCESS_KEY) {
            AccessKey key = call(
                    "iam:CreateAccessKey",
                    user,
                    () -> iam.createAccessKey(b -> b.userName(user)).accessKey());
            Secret secret = Secret.of(key.secretAccessKey());
            redactor.add(secret);
            return new NewCredential(kind, user, key.accessKeyId(), secret, null);
        }
        SshKeyPair pair = SshKeyPair.generateRsa(SSH_KEY_BITS);
        Secret pem = pair.privateKeyPem();
        redactor.add(pem);
        SSHPublicKey uploaded = call(
                "iam:UploadSSHPublicKey",
                user,
                () -> iam.uploadSSHPublicKey(b -> b.userName(user).sshPublicKeyBody(pair.publicKeyOpenSsh()))
                        .sshPublicKey());
        return new NewCredential(kind, user, uploaded.sshPublicKeyId(), pem, pair.publicKeyOpenSsh());
    }

    @Override
    public NewCredential reset(String user, CredentialKind kind, String id) {
        var c = call(
                "iam:ResetServiceSpecificCredential",
                user,
                () -> iam.resetServiceSpecificCredential(b -> b.userName(user).serviceSpecificCredentialId(id))
                        .serviceSpecificCredential());
        if (c.status() != StatusType.ACTIVE) {
            setActive(user, kind, id, true);
        }
        return gitCredential(user, c.serviceSpecificCredentialId(), c.serviceUserName(), c.servicePassword());
    }

    private NewCredential gitCredential(String user, String id, String gitUser, String password) {
        Secret secret = Secret.of(password);
        redactor.add(secret);
        return new NewCredential(CredentialKind.HTTPS_GIT_CREDENTIAL, user, id, secret, null, gitUser);
    }

    @Override
    public void setActive(String user, CredentialKind kind, String id, boolean active) {
        StatusType status = active ? StatusType.ACTIVE : StatusType.INACTIVE;
        if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            call(
                    "iam:UpdateServiceSpecificCredential",
                    user,
                    () -> iam.updateServiceSpecificCredential(b ->
                            b.userName(user).serviceSpecificCredentialId(id).status(status)));
            return;
        }
        if (kind == CredentialKind.ACCESS_KEY) {
            call(
                    "iam:UpdateAccessKey",
                    user,
                    () -> iam.updateAccessKey(
                            b -> b.userName(user).accessKeyId(id).status(status)));
        } else {
            call(
                    "iam:UpdateSSHPublicKey",
                    user,
                    () -> iam.updateSSHPublicKey(
                            b -> b.userName(user).sshPublicKeyId(id).status(status)));
        }
    }

    @Override
    public void delete(String user, CredentialKind kind, String id) {
        if (kind == CredentialKind.HTTPS_GIT_CREDENTIAL) {
            call(
                    "iam:DeleteServiceSpecificCredential",
                    user,
                    () -> iam.deleteServiceSpecificCredential(
                            b -> b.userName(user).serviceSpecificCredentialId(id)));
            return;
        }
        if (kind == CredentialKind.ACCESS_KEY) {
            call(
                    "iam:DeleteAccessKey",
                    user,
                    () -> iam.deleteAccessKey(b -> b.userName(user).accessKeyId(id)));
        } else {
            call(
                    "iam:DeleteSSHPublicKey",
                    user,
                    () -> iam.deleteSSHPublicKey(b -> b.userName(user).sshPublicKeyId(id)));
        }
    }

    private <T> T call(String action, String user, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(e, action, user);
        } catch (SdkException e) {
            if (UntrustedCertificate.in(e)) {
                throw UntrustedCertificate.error(
                        "the IAM endpoint"
                                + iam.serviceClientConfiguration()
                                        .endpointOverride()
                                        .map(u -> " " + u)
                                        .orElse(""),
                        "the JVM's trust store or the operation's CA file",
                        null,
                        RedactedException.of(e, redactor));
            }
            FluxCodeCommitException ours = FluxCodeCommitException.findIn(e);
            if (ours != null) {
                throw ours; // the caller's credentials could not be obtained: that error says why
            }
            String network = NetworkFailure.describe(e);
            throw new RemoteOperationException(
                    action + " for " + user + " failed: "
                            + (network != null
                                    ? "IAM could not be reached (" + network + ")"
                                    : redactor.redact(e.getMessage())),
                    "Check network access to IAM (or the IAM endpoint given) and retry; throttling was already"
                            + " retried with backoff.",
                    RedactedException.of(e, redactor));
        }
    }

    private FluxCodeCommitException translate(AwsServiceException e, String action, String user) {
        ErrorAnswer answer = ErrorAnswer.of(e);
        String code = answer.code();
        String detail = redactor.redact(answer.message());
        RedactedException cause = RedactedException.of(e, redactor);
        return switch (code) {
            case "NoSuchEntity" ->
                new InvalidInputException(
                        action + ": " + detail,
                        "Check the IAM user name '" + user + "' (aws iam get-user --user-name " + user + ").",
                        cause);
            case "LimitExceeded" ->
                new InvalidInputException(
                        action + " for " + user + " hit IAM's quota: " + detail,
                        "IAM allows 2 access keys and 5 SSH keys per user; remove an unused one.",
                        cause);
            case "DuplicateSSHPublicKey", "UnrecognizedPublicKeyEncoding", "InvalidPublicKey" ->
                new InvalidInputException(
                        action + " for " + user + " was refused: " + code + ": " + detail,
                        "Upload an RSA public key in OpenSSH form that the user does not have yet.",
                        cause);
            case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation" ->
                new AccessDeniedException(
                        action + " on user " + user + " was denied" + (caller == null ? "" : " to " + caller) + ": "
                                + detail,
                        "Allow " + action + " on arn:aws:iam::ACCOUNT:user/" + user + " for "
                                + (caller == null ? "the identity that rotates" : caller)
                                + " (see docs/rotation.md for the whole policy).",
                        cause);
            default ->
                new RemoteOperationException(
                        action + " for " + user + " failed: " + (code.isEmpty() ? "" : code + ": ") + detail,
                        "Retry; throttling and transient errors were already retried with backoff.",
                        cause);
        };
    }

    /**
     * An IAM error's code and message. The SDK finds them only in IAM's own envelope; answers in
     * another one (moto's {@code <Errors>} list, a proxy's page) leave the code null, so read the
     * raw answer, and failing that go by the HTTP status: 401 and 403 are refusals.
     */
    private record ErrorAnswer(String code, String message) {
        static ErrorAnswer of(AwsServiceException e) {
            var details = e.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String message = details == null ? null : details.errorMessage();
            String raw = details == null || details.rawResponse() == null
                    ? ""
                    : details.rawResponse().asUtf8String();
            if (code == null || code.isBlank()) {
                Matcher m = XML_CODE.matcher(raw);
                code = m.find() ? m.group(1).strip() : "";
            }
            if (message == null || message.isBlank()) {
                Matcher m = XML_MESSAGE.matcher(raw);
                message = m.find() ? m.group(1).strip() : null;
            }
            if (code.isEmpty() && (e.statusCode() == 401 || e.statusCode() == 403)) {
                code = "AccessDenied";
            }
            if (message == null || message.isBlank()) {
                message = "IAM answered HTTP " + e.statusCode() + (code.isEmpty() ? "" : " " + code);
            }
            return new ErrorAnswer(code, message);
        }
    }
}
