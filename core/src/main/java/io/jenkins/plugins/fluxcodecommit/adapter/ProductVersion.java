package io.jenkins.plugins.fluxcodecommit.adapter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The release of this engine, as the build wrote it into {@code flux-codecommit.properties}: the
 * same in a jar, a shaded jar, a plugin and a classes directory, which a manifest's
 * Implementation-Version is not.
 */
public final class ProductVersion {
    private static final String RESOURCE = "/io/jenkins/plugins/fluxcodecommit/flux-codecommit.properties";
    private static final String UNKNOWN = "(unknown: built without Maven's resource filtering)";

    private ProductVersion() {}

    /** The version, such as {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = ProductVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            return version == null || version.isBlank() || version.startsWith("${") ? UNKNOWN : version.strip();
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
