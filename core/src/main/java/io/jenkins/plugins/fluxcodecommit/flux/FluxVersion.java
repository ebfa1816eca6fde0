package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flux 2 release version ({@code v2.9.4}, {@code 2.9.4}, {@code v2.10.0-rc.1}) and what the
 * manifests this bootstrap writes need from it.
 *
 * <p>The sync manifests use the {@code v1} APIs of GitRepository and Kustomization, which every
 * Flux 2 release serves; {@code provider: aws} on a GitRepository exists from Flux v2.9.0
 * (source-controller v1.9.0; fluxcd/source-controller {@code api/v1/gitrepository_types.go},
 * {@code GitProviderAWS}).
 */
public record FluxVersion(int major, int minor, int patch, String preRelease) {
    /** The first release whose source-controller knows {@code provider: aws}. */
    public static final FluxVersion PROVIDER_AWS = new FluxVersion(2, 9, 0, null);

    private static final Pattern SEMVER =
            Pattern.compile("v?(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})(?:-([0-9A-Za-z.-]+))?");

    /** Parses a version, refusing what is not semver and what is not a Flux 2 release this bootstrap can write for. */
    public static FluxVersion parse(String text) {
        String s = text == null ? "" : text.trim();
        Matcher m = SEMVER.matcher(s);
        if (!m.matches()) {
            throw new InvalidInputException(
                    "'" + text + "' is not a Flux version.",
                    "Give a release version such as " + InstallOptions.DEFAULT_VERSION
                            + " (MAJOR.MINOR.PATCH, the v is optional).");
        }
        FluxVersion v = new FluxVersion(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
        if (v.major < 2) {
            throw new InvalidInputException(
                    "Flux " + v + " predates Flux 2 and the v1 GitRepository and Kustomization APIs the sync"
                            + " manifests use.",
                    "Give a Flux 2 release such as " + InstallOptions.DEFAULT_VERSION + ".");
        }
        if (v.major > 2) {
            throw new InvalidInputException(
                    "Flux " + v + " is not a release this bootstrap knows: it writes manifests for Flux 2.",
                    "Give a Flux 2 release such as " + InstallOptions.DEFAULT_VERSION + ".");
        }
        return v;
    }

    /**
     * Whether this release comes before another by major, minor and patch. A pre-release counts as
     * its release: {@code v2.9.0-rc.1} has what {@code v2.9.0} has.
     */
    public boolean before(FluxVersion other) {
        if (major != other.major) {
            return major < other.major;
        }
        if (minor != other.minor) {
            return minor < other.minor;
        }
        return patch < other.patch;
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease);
    }
}
