package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTPS proxy the environment names, as git, the AWS CLI and Go programs (flux, and
 * source-controller in the cluster) read it: {@code HTTPS_PROXY} (or {@code https_proxy}), except
 * for hosts {@code NO_PROXY} lists (a host, a domain with or without a leading dot, {@code *});
 * loopback addresses never go through it. Read from the operation's environment (the agent's, or
 * the build's), not from JVM-wide settings, so two builds on one agent do not see each other's.
 * Only http:// proxies without credentials are taken; anything else is refused before any work.
 */
record EnvironmentProxy(String host, int port, List<String> noProxy) {
    static Optional<EnvironmentProxy> from(Map<String, String> env) {
        String value = first(env, "HTTPS_PROXY", "https_proxy");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value.strip() : "http://" + value.strip());
        } catch (IllegalArgumentException e) {
            throw refused(value, "it is not a URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw refused(value, "only http://HOST:PORT proxies are supported");
        }
        if (uri.getUserInfo() != null) {
            throw refused(value, "proxy credentials in the URL are not supported");
        }
        List<String> skip = new ArrayList<>();
        String no = first(env, "NO_PROXY", "no_proxy");
        if (no != null) {
            for (String entry : no.split(",")) {
                if (!entry.isBlank()) {
                    skip.add(entry.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.of(
                new EnvironmentProxy(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), List.copyOf(skip)));
    }

    /** The proxy for this URL, or {@link Proxy#NO_PROXY} when NO_PROXY or loopback exempts it. */
    Proxy forUrl(URL url) {
        String target = url.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
        if (target.equals("localhost") || target.startsWith("127.") || target.equals("::1")) {
            return Proxy.NO_PROXY;
        }
        for (String entry : noProxy) {
            String domain = entry.replaceFirst(":\\d+$", "");
            if (domain.equals("*")
                    || target.equals(domain.replaceFirst("^\\.", ""))
                    || target.endsWith(domain.startsWith(".") ? domain : "." + domain)) {
                return Proxy.NO_PROXY;
            }
        }
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static InvalidInputException refused(String value, String why) {
        String shown = value.replaceFirst("^((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//)?[^/@]*@", "$1****@");
        return new InvalidInputException(
                "HTTPS_PROXY is '" + shown + "': " + why + ".", "Set HTTPS_PROXY to http://HOST:PORT, or unset it.");
    }
}
