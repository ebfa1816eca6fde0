package io.jenkins.plugins.fluxcodecommit.flux;

import java.io.Serializable;
import java.net.URI;

/**
 * Where Flux's install manifests come from: a release (downloaded once, checked against the
 * release's checksums, cached), or, for private VPCs and air-gapped clusters, a local directory,
 * a local tarball, or a URL of an internal mirror.
 */
public sealed interface ManifestsSource extends Serializable {
    String DEFAULT_RELEASES = "https://github.com/fluxcd/flux2/releases";

    String describe();

    /**
     * The source a user names with one string, as the CLI's {@code --manifests} and the Jenkins
     * steps' {@code manifests} take it: nothing for the release, an {@code http(s)://} URL for a
     * mirror, else a path on the machine the engine runs on (a directory, or a tarball when its name
     * ends in {@code .tar.gz}, {@code .tgz} or {@code .tar}; {@link ManifestFiles} corrects the
     * guess by what it finds there). Decided without touching the file system, so a Jenkins
     * controller can build the request for an agent's path.
     */
    static ManifestsSource parse(String location, String sha256, String releasesUrl) {
        if (location == null || location.isBlank()) {
            return new Release(releasesUrl);
        }
        String value = location.strip();
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return new Url(URI.create(value), sha256 == null || sha256.isBlank() ? null : sha256.strip());
        }
        return value.endsWith(".tar.gz") || value.endsWith(".tgz") || value.endsWith(".tar")
                ? new Tarball(value)
                : new Directory(value);
    }

    /**
     * The release asset {@code manifests.tar.gz} of a Flux version.
     *
     * @param releasesUrl base of the releases ({@link #DEFAULT_RELEASES}, or a mirror of its layout)
     */
    record Release(String releasesUrl) implements ManifestsSource {
        public Release {
            if (releasesUrl == null || releasesUrl.isBlank()) {
                releasesUrl = DEFAULT_RELEASES;
            }
            releasesUrl = releasesUrl.replaceAll("/+$", "");
        }

        public static Release github() {
            return new Release(DEFAULT_RELEASES);
        }

        @Override
        public String describe() {
            return "release manifests from " + releasesUrl;
        }
    }

    /** A directory holding the release's files (source-controller.yaml, ..., rbac.yaml, policies.yaml). */
    record Directory(String path) implements ManifestsSource {
        @Override
        public String describe() {
            return "manifests directory " + path;
        }
    }

    /** A manifests.tar.gz on this machine. */
    record Tarball(String path) implements ManifestsSource {
        @Override
        public String describe() {
            return "manifests tarball " + path;
        }
    }

    /**
     * A manifests.tar.gz at a URL (an internal mirror).
     *
     * @param sha256 expected SHA-256 in hex, or {@code null} to skip the check (a warning is logged)
     */
    record Url(URI url, String sha256) implements ManifestsSource {
        @Override
        public String describe() {
            return "manifests tarball at " + url;
        }
    }
}
