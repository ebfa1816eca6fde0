package io.jenkins.plugins.fluxcodecommit.check;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;
import java.time.Duration;

/**
 * What to check: that an identity can read a repository. Plain data; secrets are {@link Secret}s.
 *
 * @param identity IAM identity for HTTPS, or {@code null}
 * @param region explicit region, or {@code null} to take it from the URL or the environment
 * @param username HTTPS Git credentials user name, or {@code null}
 * @param password HTTPS Git credentials password, or {@code null}
 * @param sshPrivateKey SSH private key for ssh:// URLs, or {@code null}
 * @param sshPassphrase the key's passphrase, or {@code null}
 * @param knownHosts known_hosts text, or {@code null} to scan the host
 */
public record AccessCheckRequest(
        String url,
        AwsIdentity identity,
        String region,
        String username,
        Secret password,
        Secret sshPrivateKey,
        Secret sshPassphrase,
        String knownHosts,
        AwsSettings aws,
        Duration timeout)
        implements Serializable {
    public AccessCheckRequest {
        if (aws == null) {
            aws = AwsSettings.defaults();
        }
        if (timeout == null) {
            timeout = Duration.ofMinutes(2);
        }
    }
}
