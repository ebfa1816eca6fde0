package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.util.Map;

/**
 * The region an operation uses: given explicitly, else the repository URL's, else the environment's
 * ({@code AWS_REGION}, then {@code AWS_DEFAULT_REGION}). Never a silent default.
 */
public record RegionChoice(String region, Source source) {
    /** Where the region came from, for the log. */
    public enum Source {
        EXPLICIT,
        URL,
        ENVIRONMENT
    }

    public static RegionChoice resolve(String explicit, CodeCommitUrl url, Map<String, String> environment) {
        if (explicit != null && !explicit.isBlank()) {
            String region = Regions.requireKnown(explicit.trim(), "the region given");
            if (url != null && url.region() != null && !url.region().equals(region) && !url.isNonStandardHost()) {
                throw new InvalidInputException(
                        "The region given (" + region + ") differs from the repository URL's region (" + url.region()
                                + ") in " + url + ".",
                        "Drop the region, or use the repository URL of " + region + ".");
            }
            return new RegionChoice(region, Source.EXPLICIT);
        }
        if (url != null && url.region() != null) {
            return new RegionChoice(url.region(), Source.URL);
        }
        for (String variable : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return new RegionChoice(Regions.requireKnown(value.trim(), "$" + variable), Source.ENVIRONMENT);
            }
        }
        throw new InvalidInputException(
                "No AWS region: none was given, the repository URL names none, and AWS_REGION is not set.",
                "Give the region (e.g. us-east-1) or set AWS_REGION.");
    }

    @Override
    public String toString() {
        return region + " (from " + source.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
