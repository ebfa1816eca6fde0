package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.kube.ClusterTarget;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import java.io.Serializable;
import java.time.Duration;

/**
 * Everything {@code flux bootstrap git} takes, with its defaults, plus the CodeCommit identity
 * and the cluster. Plain data: built on a Jenkins controller, run on an agent. Use {@link #builder}.
 *
 * @param cluster {@code null} for export mode: nothing is applied, the plan is reported
 * @param dryRun touch nothing remote: no push, no apply; files go to {@code exportDirectory}
 * @param acceptNewHostKey let a scanned SSH host key that differs from the one pinned in the
 *     cluster's source secret replace it (without it, and without known_hosts, the run is refused)
 */
public record BootstrapRequest(
        String url,
        String branch,
        String path,
        AwsIdentity identity,
        String region,
        String username,
        Secret password,
        Secret sshPrivateKey,
        Secret sshPassphrase,
        String knownHosts,
        boolean acceptNewHostKey,
        InstallOptions install,
        String secretName,
        String interval,
        String authorName,
        String authorEmail,
        String commitMessageAppendix,
        ManifestsSource manifests,
        String manifestsCacheDirectory,
        String sourceControllerRoleArn,
        ClusterTarget cluster,
        boolean dryRun,
        String exportDirectory,
        boolean force,
        boolean waitForHealth,
        Duration timeout,
        Duration pollInterval,
        AwsSettings aws)
        implements Serializable {

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Builds a request with Flux's defaults for everything not set. */
    public static final class Builder {
        private final String url;
        private String branch = "main";
        private String path = "";
        private AwsIdentity identity;
        private String region;
        private String username;
        private Secret password;
        private Secret sshPrivateKey;
        private Secret sshPassphrase;
        private String knownHosts;
        private boolean acceptNewHostKey;
        private InstallOptions install = InstallOptions.defaults();
        private String secretName = "flux-system";
        private String interval = "1m";
        private String authorName = "Flux";
        private String authorEmail = "";
        private String commitMessageAppendix;
        private ManifestsSource manifests = ManifestsSource.Release.github();
        private String manifestsCacheDirectory;
        private String sourceControllerRoleArn;
        private ClusterTarget cluster;
        private boolean dryRun;
        private String exportDirectory;
        private boolean force;
        private boolean waitForHealth = true;
        private Duration timeout = Duration.ofMinutes(5);
        private Duration pollInterval = Duration.ofSeconds(2);
        private AwsSettings aws = AwsSettings.defaults();

        private Builder(String url) {
            this.url = url;
        }

        public Builder branch(String v) {
            branch = v;
            return this;
        }

        public Builder path(String v) {
            path = v;
            return this;
        }

        public Builder identity(AwsIdentity v) {
            identity = v;
            return this;
        }

        public Builder region(String v) {
            region = v;
            return this;
        }

        public Builder basicAuth(String user, Secret pass) {
            username = user;
            password = pass;
            return this;
        }

        public Builder sshKey(Secret key, Secret passphrase) {
            sshPrivateKey = key;
            sshPassphrase = passphrase;
            return this;
        }

        public Builder knownHosts(String v) {
            knownHosts = v;
            return this;
        }

        public Builder acceptNewHostKey(boolean v) {
            acceptNewHostKey = v;
            return this;
        }

        public Builder install(InstallOptions v) {
            install = v;
            return this;
        }

        public Builder secretName(String v) {
            secretName = v;
            return this;
        }

        public Builder interval(String v) {
            interval = v;
            return this;
        }

        public Builder author(String name, String email) {
            authorName = name;
            authorEmail = email;
            return this;
        }

        public Builder commitMessageAppendix(String v) {
            commitMessageAppendix = v;
            return this;
        }

        public Builder manifests(ManifestsSource v) {
            manifests = v;
            return this;
        }

        public Builder manifestsCacheDirectory(String v) {
            manifestsCacheDirectory = v;
            return this;
        }

        public Builder sourceControllerRoleArn(String v) {
            sourceControllerRoleArn = v;
            return this;
        }

        public Builder cluster(ClusterTarget v) {
            cluster = v;
            return this;
        }

        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        public Builder exportDirectory(String v) {
            exportDirectory = v;
            return this;
        }

        public Builder force(boolean v) {
            force = v;
            return this;
        }

        public Builder waitForHealth(boolean v) {
            waitForHealth = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder pollInterval(Duration v) {
            pollInterval = v;
            return this;
        }

        public Builder aws(AwsSettings v) {
            aws = v;
            return this;
        }

        public BootstrapRequest build() {
            return new BootstrapRequest(
                    url,
                    branch,
                    path,
                    identity,
                    region,
                    username,
                    password,
                    sshPrivateKey,
                    sshPassphrase,
                    knownHosts,
                    acceptNewHostKey,
                    install,
                    secretName,
                    interval,
                    authorName,
                    authorEmail,
                    commitMessageAppendix,
                    manifests,
                    manifestsCacheDirectory,
                    sourceControllerRoleArn,
                    cluster,
                    dryRun,
                    exportDirectory,
                    force,
                    waitForHealth,
                    timeout,
                    pollInterval,
                    aws);
        }
    }
}
