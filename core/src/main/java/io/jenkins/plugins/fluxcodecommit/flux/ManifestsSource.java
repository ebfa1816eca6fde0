package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.Serializable;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where Flux's install manifests come from: a release (downloaded once, checked against the
 * release's checksums, cached), or, for private VPCs and air-gapped clusters, a local directory,
 * a local tarball, or a URL of an internal mirror.
 */
public sealed interface ManifestsSource extends Serializable {
    String DEFAULT_RELEASES = "https://github.com/fluxcd/flux2/releases";

    /** What a SHA-256 in hex looks like. */
    Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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
        String checksum = sha256(sha256);
        if (location == null || location.isBlank()) {
            if (checksum != null) {
                throw new InvalidInputException(
                        "A manifests SHA-256 (" + checksum + ") was given, but no manifests tarball or URL: the"
                                + " release's manifests are checked against its published checksums.",
                        "Give the tarball or URL the SHA-256 belongs to (--manifests), or drop the SHA-256.");
            }
            return new Release(releasesUrl);
        }
        String value = location.strip();
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return new Url(URI.create(value), checksum);
        }
        return value.endsWith(".tar.gz") || value.endsWith(".tgz") || value.endsWith(".tar")
                ? new Tarball(value, checksum)
                : new Directory(value, checksum);
    }

    /** A SHA-256 in lower-case hex, or {@code null} when none is given; anything else is refused. */
    private static String sha256(String sha256) {
        if (sha256 == null || sha256.isBlank()) {
            return null;
        }
        String value = sha256.strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(value).matches()) {
            throw new InvalidInputException(
                    "'" + sha256.strip() + "' is not a SHA-256 (64 hexadecimal digits).",
                    "Give the manifests.tar.gz line of the release's flux_VERSION_checksums.txt, or the output of"
                            + " sha256sum manifests.tar.gz.");
        }
        return value;
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

    /**
     * A directory holding the release's files (source-controller.yaml, ..., rbac.yaml, policies.yaml).
     *
     * @param sha256 a SHA-256 given with it, refused unless the path turns out to be a tarball
     */
    record Directory(String path, String sha256) implements ManifestsSource {
        public Directory(String path) {
            this(path, null);
        }

        @Override
        public String describe() {
            return "manifests directory " + path;
        }
    }

    /**
     * A manifests.tar.gz on this machine.
     *
     * @param sha256 expected SHA-256 in lower-case hex, or {@code null} for none
     */
    record Tarball(String path, String sha256) implements ManifestsSource {
        public Tarball(String path) {
            this(path, null);
        }

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
