package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What an AWS service answered when it refused a call, as words: its error code and message when
 * it sent them, else the HTTP status alone (a proxy or load balancer that answered instead of AWS
 * sends neither), never a "null".
 *
 * @param code the error code, or {@code ""} when the answer had none
 * @param message the error message, redacted, or {@code null} when the answer had none
 */
public record ServiceError(String code, String message, int status) {
    public static ServiceError of(AwsServiceException e, Redactor redactor) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : blankToNull(details.errorCode());
        String message = details == null ? null : blankToNull(details.errorMessage());
        return new ServiceError(
                code == null ? "" : code, message == null ? null : redactor.redact(message), e.statusCode());
    }

    /** "Code: message", or "HTTP 503 …" when AWS's answer carried no code. */
    public String describe() {
        if (code.isEmpty() && message == null) {
            return "HTTP " + status + " without an AWS error code or message (a proxy or load balancer may have"
                    + " answered instead of AWS)";
        }
        if (code.isEmpty()) {
            return "HTTP " + status + ": " + message;
        }
        return message == null ? code + " (HTTP " + status + ")" : code + ": " + message;
    }

    /** The message, else the HTTP status: for callers that show the code on their own. */
    public String messageOrStatus() {
        return message != null ? message : "HTTP " + status;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equals("null") ? null : s.strip();
    }
}
