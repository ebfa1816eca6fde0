package io.jenkins.plugins.fluxcodecommit.check;

import io.jenkins.plugins.fluxcodecommit.git.RemoteHeads;
import java.io.Serializable;

/**
 * What an access check found.
 *
 * @param url the repository URL as used
 * @param identity who the engine acted as (key IDs, ARNs, SSH key fingerprint; never a secret)
 * @param accessKeyId the IAM access key ID that signed, or {@code null}
 * @param callerArn the ARN STS reports for the IAM identity, or {@code null}
 * @param knownHosts the known_hosts in force for SSH, or {@code null}
 */
public record AccessCheckResult(
        String url, String identity, String accessKeyId, String callerArn, RemoteHeads heads, String knownHosts)
        implements Serializable {}
