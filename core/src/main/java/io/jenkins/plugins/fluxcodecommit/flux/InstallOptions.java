package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The choices {@code flux install} and {@code flux bootstrap} make about the components, with
 * Flux's defaults.
 */
public record InstallOptions(
        String version,
        String namespace,
        List<String> components,
        List<String> extraComponents,
        String registry,
        String imagePullSecret,
        boolean networkPolicy,
        boolean watchAllNamespaces,
        String logLevel,
        List<String> tolerationKeys,
        String clusterDomain)
        implements Serializable {
    public static final String DEFAULT_VERSION = "v2.9.4";
    public static final List<String> DEFAULT_COMPONENTS =
            List.of("source-controller", "kustomize-controller", "helm-controller", "notification-controller");
    public static final List<String> EXTRA_COMPONENTS =
            List.of("image-reflector-controller", "image-automation-controller", "source-watcher");
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "error");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public InstallOptions {
        version = version == null || version.isBlank()
                ? DEFAULT_VERSION
                : FluxVersion.parse(version).toString();
        namespace = namespace == null || namespace.isBlank() ? "flux-system" : namespace.trim();
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw new InvalidInputException(
                    "'" + namespace + "' is not a valid namespace name.",
                    "Use lower-case letters, digits and '-', at most 63 characters, e.g. flux-system.");
        }
        components = components == null || components.isEmpty() ? DEFAULT_COMPONENTS : List.copyOf(components);
        extraComponents = extraComponents == null ? List.of() : List.copyOf(extraComponents);
        Set<String> known = new LinkedHashSet<>(DEFAULT_COMPONENTS);
        known.addAll(EXTRA_COMPONENTS);
        for (String c : all(components, extraComponents)) {
            if (!known.contains(c)) {
                throw new InvalidInputException(
                        "Unknown Flux component '" + c + "'.", "Known components: " + String.join(", ", known) + ".");
            }
        }
        if (!components.contains("source-controller") || !components.contains("kustomize-controller")) {
            throw new InvalidInputException(
                    "The components " + components + " lack source-controller or kustomize-controller, which"
                            + " bootstrap needs to sync the cluster from Git.",
                    "Keep both in the components list.");
        }
        registry = registry == null || registry.isBlank()
                ? "ghcr.io/fluxcd"
                : registry.trim().replaceAll("/+$", "");
        if (registry.contains(" ") || registry.contains("://")) {
            throw new InvalidInputException(
                    "'" + registry + "' is not a container registry path.",
                    "Give host/path without a scheme, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/fluxcd.");
        }
        if (imagePullSecret != null && imagePullSecret.isBlank()) {
            imagePullSecret = null;
        }
        if (imagePullSecret != null && !DNS_LABEL.matcher(imagePullSecret).matches()) {
            throw new InvalidInputException(
                    "'" + imagePullSecret + "' is not a valid secret name.", "Use a Kubernetes secret name.");
        }
        logLevel = logLevel == null || logLevel.isBlank()
                ? "info"
                : logLevel.trim().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new InvalidInputException(
                    "Log level '" + logLevel + "' is not one Flux's controllers accept.", "Use debug, info or error.");
        }
        tolerationKeys = tolerationKeys == null ? List.of() : List.copyOf(tolerationKeys);
        clusterDomain = clusterDomain == null || clusterDomain.isBlank() ? "cluster.local" : clusterDomain.trim();
    }

    /** Flux's defaults for a namespace and version. */
    public static InstallOptions defaults() {
        return new InstallOptions(null, null, null, null, null, null, true, true, null, null, null);
    }

    /** Components followed by extra components, in order, without repeats. */
    public List<String> allComponents() {
        return all(components, extraComponents);
    }

    private static List<String> all(List<String> components, List<String> extra) {
        Set<String> set = new LinkedHashSet<>(components);
        set.addAll(extra);
        return new ArrayList<>(set);
    }
}
