package io.jenkins.plugins.fluxcodecommit.ssh;

import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * The SSH host key fingerprints AWS publishes for CodeCommit's Git endpoints, so a scanned host key
 * is checked against more than trust on first use.
 *
 * <p>Source: AWS CodeCommit User Guide, "Regions and Git connection endpoints", section "Server
 * fingerprints for CodeCommit",
 * https://docs.aws.amazon.com/codecommit/latest/userguide/regions.html#regions-fingerprints, as
 * published in the guide's source repository (github.com/awsdocs/aws-codecommit-user-guide,
 * doc_source/regions.md at commit 1eba2b2c81fe6f7db5e02ef7db59b0ccb1d9134d, 2022-08-31; no value
 * changed across that file's history). The SHA256 values are taken as published; the MD5 values are
 * used only where the SHA256 value is unusable. Regions added after that version, and the FIPS hosts
 * (for which AWS lists HTTPS endpoints only and publishes no fingerprint), are CodeCommit hosts
 * without a published fingerprint here: they stay trust on first use, with a warning.
 */
public final class CodeCommitHostKeys {
    /** Where users can compare fingerprints themselves. */
    public static final String SOURCE =
            "https://docs.aws.amazon.com/codecommit/latest/userguide/regions.html#regions-fingerprints";

    // Region -> fingerprint of the RSA host key of git-codecommit.REGION.amazonaws.com(.cn).
    private static final Map<String, String> PUBLISHED = published(
            "us-east-2", "SHA256:3lBlW2g5xn/NA2Ck6dyeJIrQOWvn7n8UEs56fG6ZIzQ",
            "us-east-1", "SHA256:eLMY1j0DKA4uvDZcl/KgtIayZANwX6t8+8isPtotBoY",
            "us-west-2", "SHA256:0pJx9SQpkbPUAHwy58UVIq0IHcyo1fwCpOOuVgcAWPo",
            "eu-west-1", "SHA256:tKjRkOL8dmJyTmSbeSdN1S8F/f0iql3RlvqgTOP1UyQ",
            "ap-northeast-1", "SHA256:Xk/WeYD/K/bnBybzhiuu4dWpBJtXPf7E30jHU7se4Ow",
            "ap-southeast-1", "SHA256:ZIsVa7OVzxrTIf+Rk4UbhPv6Es22mSB3uTBojfPXIno",
            "ap-southeast-2", "SHA256:nYp+gHas80HY3DqbP4yanCDFhqDVjseefVbHEXqH2Ec",
            "eu-central-1", "SHA256:MwGrkiEki8QkkBtlAgXbYt0hoZYBnZF62VY5RzGJEUY",
            "ap-northeast-2", "SHA256:eegAPQrWY9YsYo9ZHIKOmxetfXBHzAZd8Eya53Qcwko",
            "sa-east-1", "SHA256:kW+VKB0jpRaG/ZbXkgbtMQbKgEDK7JnISV3SVoyCmzU",
            "us-west-1", "SHA256:gzauWTWXDK2u5KuMMi5vbKTmfyerdIwgSbzYBODLpzg",
            "eu-west-2", "SHA256:r0Rwz5k/IHp/QyrRnfiM9j02D5UEqMbtFNTuDG2hNbs",
            "ap-south-1", "SHA256:hUKwnTj7+Xpx4Kddb6p45j4RazIJ4IhAMD8k29itOfE",
            "ca-central-1", "SHA256:Qz5puafQdANVprLlj6r0Qyh4lCNsF6ob61dGcPtFS7w",
            "eu-west-3", "SHA256:uw7c2FL564jVoFgtc+ikzILnKBsZz7t9+CFdSJjKbLI",
            "us-gov-west-1", "SHA256:djXQoSIFcg8vHe0KVH1xW/gOF9X37tWTqu4Hkng75x4",
            // The published SHA256 value has 42 characters, one short of any SHA256 fingerprint:
            // its MD5 value is the one that can be checked.
            "us-gov-east-1", "MD5:00:8d:b5:55:6f:05:78:05:ed:ea:cb:3f:e6:f0:62:f2",
            "eu-north-1", "SHA256:b6KSK7xKq+V8jl7iuAcjqXsG7zkqoUZZmmhYYFBq1wQ",
            "me-south-1", "SHA256:O+NToCGgjrHekiBuOl0ad7ROGEsz+DBLXOd/c9wc0JU",
            "ap-east-1", "SHA256:LafadYwUYW8hONoTRpojbjNs9IRnbEwHtezD3aAIBX0",
            "cn-north-1", "SHA256:IYUXxH2OpTDsyYMLIp+JY8CTLS4UX+ZC5JVZXPRaxc8",
            "cn-northwest-1", "SHA256:wqjd6eHd0+mOBx+dCNuL0omUoCNjaDtZiEpWj5TmCfQ",
            "eu-south-1", "SHA256:lyXrWbCg3uQmJrl1XxB/ASR7ugW1Ysf5yzYOJbudHsI",
            "ap-northeast-3", "SHA256:2B815B9F0AvwLnRxSVxUz4kDYmtEQUGGdQYP8OQLXhA",
            "af-south-1", "SHA256:C34ji3x/cnsDZjUpyNGXdE5pjHYimqJrQZ3leTgqJHM");

    private static final Pattern CODECOMMIT_HOST =
            Pattern.compile("(vpce-[^.]+\\.)?git-codecommit(-fips)?\\.[^.]+\\.(vpce\\.)?amazonaws\\.com(\\.cn)?");

    private static final CodeCommitHostKeys AWS = new CodeCommitHostKeys(byHost(PUBLISHED));

    /** What a check found. */
    public enum Verdict {
        /** The key has a fingerprint published for the host. */
        PUBLISHED,
        /** A CodeCommit host for which no fingerprint is known here (newer region, FIPS, VPC endpoint). */
        UNPUBLISHED,
        /** Not a CodeCommit host: trust on first use, as Flux does. */
        NOT_CODECOMMIT
    }

    private final Map<String, Set<String>> byHost;

    private CodeCommitHostKeys(Map<String, Set<String>> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    /** The fingerprints AWS publishes. */
    public static CodeCommitHostKeys published() {
        return AWS;
    }

    /** Another table, by host name (tests point it at a local server). */
    public static CodeCommitHostKeys of(Map<String, Set<String>> byHost) {
        return new CodeCommitHostKeys(byHost);
    }

    /** The fingerprints known for a host, empty when none. */
    public Set<String> fingerprints(String host) {
        return byHost.getOrDefault(normalize(host), Set.of());
    }

    /** The whole table, by host name. */
    Map<String, Set<String>> byHost() {
        return byHost;
    }

    /**
     * Checks a host key the server showed.
     *
     * @throws HostKeyMismatchException when fingerprints are published for the host and the key has none of them
     */
    public Verdict check(String host, int port, PublicKey key) {
        Set<String> expected = fingerprints(host);
        if (expected.isEmpty()) {
            return CODECOMMIT_HOST.matcher(normalize(host)).matches() ? Verdict.UNPUBLISHED : Verdict.NOT_CODECOMMIT;
        }
        for (String fingerprint : expected) {
            if (fingerprint.equals(fingerprint(fingerprint, key))) {
                return Verdict.PUBLISHED;
            }
        }
        throw new HostKeyMismatchException(
                "The SSH host key of " + KnownHosts.hostToken(host, port) + " is " + KnownHosts.fingerprint(key)
                        + " (" + KeyUtils.getKeyType(key) + "), but AWS publishes " + List.copyOf(expected)
                        + " for it. Nothing was changed: something between this machine and CodeCommit"
                        + " answers in its place (a proxy, a DNS entry, an impersonator).",
                "Check DNS and proxies for " + host + " and compare with " + SOURCE
                        + "; if AWS has changed the key, give the new known_hosts explicitly.");
    }

    /** The fingerprint of a key with the digest the expected one names (SHA256: or MD5:). */
    private static String fingerprint(String like, PublicKey key) {
        return like.startsWith("MD5:")
                ? KeyUtils.getFingerPrint(BuiltinDigests.md5, key)
                : KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    private static String normalize(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Map<String, String> published(String... regionAndFingerprint) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < regionAndFingerprint.length; i += 2) {
            out.put(regionAndFingerprint[i], regionAndFingerprint[i + 1]);
        }
        return out;
    }

    private static Map<String, Set<String>> byHost(Map<String, String> byRegion) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        byRegion.forEach((region, fingerprint) -> out.put(
                "git-codecommit." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : ""),
                Set.of(fingerprint)));
        return out;
    }
}
