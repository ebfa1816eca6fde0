package io.jenkins.plugins.fluxcodecommit.aws;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/** Region names known to the AWS SDK in use, and a helpful error for anything else. */
public final class Regions {
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    private static final List<String> KNOWN = Region.regions().stream()
            .filter(r -> !r.isGlobalRegion())
            .map(Region::id)
            .filter(id -> REGION_NAME.matcher(id).matches())
            .sorted()
            .toList();

    private Regions() {}

    /** Returns the region unchanged if it is known, else fails naming it and the closest known one. */
    public static String requireKnown(String region, String where) {
        if (region != null && KNOWN.contains(region)) {
            return region;
        }
        String closest = KNOWN.stream()
                .min(Comparator.comparingInt(known -> distance(known, String.valueOf(region))))
                .orElse("us-east-1");
        throw new InvalidInputException(
                "Unknown AWS region '" + region + "'" + (where == null ? "" : " in " + where) + ".",
                "Did you mean '" + closest + "'? Regions are written like us-east-1 or eu-west-2"
                        + " (a region newer than this release of the AWS SDK needs a newer plugin).");
    }

    public static boolean isKnown(String region) {
        return KNOWN.contains(region);
    }

    public static boolean isChina(String region) {
        return region.startsWith("cn-");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
