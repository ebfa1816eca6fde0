package io.jenkins.plugins.fluxcodecommit.rotation;

import java.io.Serializable;
import java.time.Instant;

/**
 * A credential as IAM lists it: no secret.
 *
 * @param lastUsed when it was last used, or {@code null} if never (access keys only)
 * @param gitUserName the Git user name of an HTTPS Git credential, else {@code null}
 * @param lastUsedService the AWS service of the last use ({@code sts}, {@code codecommit}), or {@code null}
 */
public record IamCredential(
        String id, boolean active, Instant created, Instant lastUsed, String gitUserName, String lastUsedService)
        implements Serializable {
    public IamCredential(String id, boolean active, Instant created, Instant lastUsed) {
        this(id, active, created, lastUsed, null, null);
    }

    public IamCredential(String id, boolean active, Instant created, Instant lastUsed, String gitUserName) {
        this(id, active, created, lastUsed, gitUserName, null);
    }
}
