package io.jenkins.plugins.fluxcodecommit.codecommit;

import io.jenkins.plugins.fluxcodecommit.aws.Regions;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Git remote URL, understood the way CodeCommit understands it: HTTPS (standard, FIPS, China and
 * VPC endpoint hosts), SSH with the IAM SSH key ID as user, and git-remote-codecommit's
 * {@code codecommit::} form. Any other Git URL is accepted as plain Git.
 */
public final class CodeCommitUrl implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How the engine talks to the remote. */
    public enum Transport {
        HTTPS,
        HTTP,
        SSH,
        FILE
    }

    // aws-cli's pattern, extended with the China partition's domain.
    private static final Pattern CODECOMMIT_HOST =
            Pattern.compile("(vpce-[^.]+\\.)?git-codecommit(-fips)?\\.([^.]+)\\.(vpce\\.)?amazonaws\\.com(\\.cn)?");
    private static final Pattern REPO_PATH = Pattern.compile("/v1/repos/([^/]+)/?");
    private static final Pattern REPO_NAME = Pattern.compile("[\\w.-]{1,100}");
    private static final Pattern SCP_LIKE = Pattern.compile("([^@/:]+@)?([^/:]+):(?!//)(.*)");
    private static final Pattern GRC = Pattern.compile("codecommit:(?::([^:/]+):)?//(?:([^@/]+)@)?([^/]+)/?");

    private final String gitUrl;
    private final Transport transport;
    private final String host;
    private final int port;
    private final String path;
    private final String user;
    private final boolean codeCommit;
    private final String region;
    private final String repository;
    private final boolean fips;
    private final boolean vpcEndpoint;
    private final String profile;

    private CodeCommitUrl(
            String gitUrl,
            Transport transport,
            String host,
            int port,
            String path,
            String user,
            boolean codeCommit,
            String region,
            String repository,
            boolean fips,
            boolean vpcEndpoint,
            String profile) {
        this.gitUrl = gitUrl;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.path = path;
        this.user = user;
        this.codeCommit = codeCommit;
        this.region = region;
        this.repository = repository;
        this.fips = fips;
        this.vpcEndpoint = vpcEndpoint;
        this.profile = profile;
    }

    /** Parses and validates a URL; fails with a message that names the URL and the fix. */
    public static CodeCommitUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException(
                    "No repository URL was given.",
                    "Give the repository's clone URL, e.g. https://git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet"
                            + " or ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-1.amazonaws.com/v1/repos/fleet.");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("codecommit:")) {
            return parseGrc(trimmed);
        }
        if (trimmed.startsWith("/")) {
            return plainFile(trimmed);
        }
        if (!trimmed.contains("://")) {
            Matcher scp = SCP_LIKE.matcher(trimmed);
            if (scp.matches() && looksLikeCodeCommit(scp.group(2))) {
                String user = scp.group(1) == null ? "" : scp.group(1);
                String rest = scp.group(3).startsWith("/") ? scp.group(3) : "/" + scp.group(3);
                throw new InvalidInputException(
                        "'" + trimmed
                                + "' uses the scp-like form user@host:path, which Flux does not accept for CodeCommit.",
                        "Write it as an ssh:// URL: ssh://" + user + scp.group(2) + rest + ".");
            }
            if (scp.matches()) {
                return plain(trimmed, Transport.SSH, scp.group(2), -1, scp.group(3), stripAt(scp.group(1)));
            }
            throw new InvalidInputException(
                    "'" + trimmed + "' is not a Git URL.",
                    "Give an https://, ssh:// or file:// URL, an absolute path, or codecommit::REGION://REPOSITORY.");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(
                    "'" + redactUserInfo(trimmed) + "' is not a valid URL: " + e.getReason() + ".",
                    "Check the URL for spaces or stray characters.");
        }
        if (uri.getScheme() == null) {
            throw new InvalidInputException(
                    "'" + redactUserInfo(trimmed) + "' is not a Git URL.",
                    "Give an https://, ssh:// or file:// URL, an absolute path, or codecommit::REGION://REPOSITORY.");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        Transport transport =
                switch (scheme) {
                    case "https" -> Transport.HTTPS;
                    case "http" -> Transport.HTTP;
                    case "ssh" -> Transport.SSH;
                    case "file" -> Transport.FILE;
                    default ->
                        throw new InvalidInputException(
                                "'" + redactUserInfo(trimmed) + "' has the scheme '" + scheme
                                        + "', which Git access here does not support.",
                                "Use https://, ssh:// or file://.");
                };
        if (transport == Transport.FILE) {
            return plainFile(uri.getPath());
        }
        String host = uri.getHost();
        if (host == null) {
            throw new InvalidInputException(
                    "'" + redactUserInfo(trimmed) + "' has no host.", "Write the URL as scheme://host/path.");
        }
        host = host.toLowerCase(Locale.ROOT);
        String userInfo = uri.getUserInfo();
        // A password (or anything after ':') in the URL would end up in Git configuration and logs.
        if (userInfo != null && (userInfo.contains(":") || (transport != Transport.SSH))) {
            throw credentialsInUrl(trimmed);
        }
        if (!looksLikeCodeCommit(host)) {
            return plain(trimmed, transport, host, uri.getPort(), uri.getPath(), userInfo);
        }
        return codeCommit(trimmed, transport, host, uri.getPort(), uri.getPath(), userInfo);
    }

    /**
     * A URL of a Git server that is not on a CodeCommit host name but speaks CodeCommit's
     * authentication, such as an interface VPC endpoint's own DNS name or a local test server:
     * the region must then be given, and the path must still be {@code /v1/repos/NAME}.
     */
    public CodeCommitUrl asCodeCommit(String explicitRegion) {
        if (codeCommit) {
            return this;
        }
        if (transport == Transport.FILE || transport == Transport.HTTP) {
            throw new InvalidInputException(
                    "'" + gitUrl + "' cannot be a CodeCommit repository: CodeCommit is reached over HTTPS or SSH only.",
                    "Use the repository's https:// or ssh:// CodeCommit URL.");
        }
        String checkedRegion = Regions.requireKnown(explicitRegion, "the region given for " + redactUserInfo(gitUrl));
        String repo = repositoryFromPath(gitUrl, path);
        if (transport == Transport.SSH) {
            requireSshKeyId(gitUrl, user, repo, checkedRegion);
        }
        return new CodeCommitUrl(
                gitUrl, transport, host, port, path, user, true, checkedRegion, repo, false, true, profile);
    }

    private static CodeCommitUrl codeCommit(
            String url, Transport transport, String host, int port, String path, String userInfo) {
        Matcher m = CODECOMMIT_HOST.matcher(host);
        if (!m.matches()) {
            throw new InvalidInputException(
                    "'" + host + "' in '" + redactUserInfo(url) + "' is not a CodeCommit host name.",
                    "CodeCommit hosts look like git-codecommit.REGION.amazonaws.com (git-codecommit-fips for FIPS,"
                            + " .amazonaws.com.cn in China).");
        }
        String region = m.group(3);
        boolean fips = m.group(2) != null;
        boolean vpce = m.group(1) != null || m.group(4) != null;
        boolean china = m.group(5) != null;
        Regions.requireKnown(region, "the host of " + redactUserInfo(url));
        if (china != Regions.isChina(region)) {
            throw new InvalidInputException(
                    "Host '" + host + "' pairs region " + region + " with the wrong domain.",
                    china
                            ? "Regions outside China use git-codecommit." + region + ".amazonaws.com."
                            : "China regions use git-codecommit." + region + ".amazonaws.com.cn.");
        }
        String repo = repositoryFromPath(url, path);
        if (transport == Transport.HTTP) {
            throw new InvalidInputException(
                    "'" + redactUserInfo(url) + "' uses http://; CodeCommit accepts only HTTPS and SSH.",
                    "Use https://" + host + "/v1/repos/" + repo + ".");
        }
        if (transport == Transport.SSH) {
            requireSshKeyId(url, userInfo, repo, region);
            if (port != -1 && port != 22) {
                throw new InvalidInputException(
                        "'" + redactUserInfo(url) + "' names port " + port + "; CodeCommit serves SSH on port 22 only.",
                        "Remove the port from the URL.");
            }
        }
        String normalized = transport == Transport.SSH
                ? "ssh://" + userInfo + "@" + host + "/v1/repos/" + repo
                : "https://" + host + (port == -1 ? "" : ":" + port) + "/v1/repos/" + repo;
        return new CodeCommitUrl(
                normalized, transport, host, port, "/v1/repos/" + repo, userInfo, true, region, repo, fips, vpce, null);
    }

    private static CodeCommitUrl parseGrc(String url) {
        Matcher m = GRC.matcher(url);
        if (!m.matches()) {
            throw new InvalidInputException(
                    "'" + url + "' is not a git-remote-codecommit URL.",
                    "Write it as codecommit::REGION://REPOSITORY or codecommit::REGION://PROFILE@REPOSITORY.");
        }
        String region = m.group(1);
        if (region == null) {
            throw new InvalidInputException(
                    "'" + url + "' names no region; here the region comes from the URL, not from an AWS profile.",
                    "Write it as codecommit::REGION://" + (m.group(2) == null ? "" : m.group(2) + "@") + m.group(3)
                            + ".");
        }
        Regions.requireKnown(region, url);
        String repo = m.group(3);
        requireRepoName(url, repo);
        String host = "git-codecommit." + region + ".amazonaws.com" + (Regions.isChina(region) ? ".cn" : "");
        String path = "/v1/repos/" + repo;
        return new CodeCommitUrl(
                "https://" + host + path,
                Transport.HTTPS,
                host,
                -1,
                path,
                null,
                true,
                region,
                repo,
                false,
                false,
                m.group(2));
    }

    private static void requireSshKeyId(String rawUrl, String user, String repo, String region) {
        String url = redactUserInfo(rawUrl);
        String example = "ssh://APKAEIBAERJR2EXAMPLE@" + hostOf(url) + "/v1/repos/" + repo;
        String where = "IAM shows the key ID in the console (IAM > Users > USER > Security credentials >"
                + " SSH public keys for AWS CodeCommit) and in `aws iam list-ssh-public-keys --user-name USER`.";
        if (user == null || user.isEmpty()) {
            throw new InvalidInputException(
                    "'" + url + "' has no SSH user. CodeCommit identifies SSH clients by the ID of the SSH public key"
                            + " uploaded to IAM, given as the SSH user.",
                    "Put the SSH key ID in the URL: " + example + ". " + where);
        }
        if (user.equals("git")) {
            throw new InvalidInputException(
                    "'" + url
                            + "' uses the SSH user 'git'. CodeCommit does not accept 'git': the SSH user must be the ID"
                            + " of the SSH public key uploaded to IAM.",
                    "Put the SSH key ID in the URL (20 characters starting APKA): " + example + ". " + where);
        }
        String mistake = SshKeyId.mistake(user);
        if (mistake != null) {
            boolean onlyTheCase = !user.equals(SshKeyId.upperCase(user)) && user.length() >= SshKeyId.ISSUED_LENGTH;
            throw new InvalidInputException(
                    "SSH user '" + user + "' in '" + url + "' " + mistake + ".",
                    (onlyTheCase
                                    ? "Write the key ID in upper case, as IAM shows it: "
                                            + url.replace("//" + user + "@", "//" + SshKeyId.upperCase(user) + "@")
                                            + ". "
                                    : "Copy the whole key ID as IAM shows it, e.g. " + example + ". ")
                            + where);
        }
        if (!SshKeyId.isValid(user)) {
            throw new InvalidInputException(
                    "SSH user '" + user + "' in '" + url + "' is not an SSH key ID; it looks like an IAM user name."
                            + " CodeCommit authenticates SSH by the ID of the SSH public key uploaded to IAM, not by the"
                            + " user name.",
                    "Use the key ID (20 upper-case characters starting APKA) as the user: " + example + ". "
                            + where.replace("USER", user));
        }
    }

    private static String repositoryFromPath(String url, String path) {
        Matcher m = REPO_PATH.matcher(path == null ? "" : path);
        if (!m.matches()) {
            throw new InvalidInputException(
                    "'" + redactUserInfo(url) + "' has the path '" + path
                            + "'; CodeCommit repository paths are /v1/repos/NAME.",
                    "Copy the clone URL from the CodeCommit console or `aws codecommit get-repository`.");
        }
        String repo = m.group(1);
        requireRepoName(url, repo);
        return repo;
    }

    private static void requireRepoName(String url, String repo) {
        if (!REPO_NAME.matcher(repo).matches() || repo.endsWith(".git")) {
            throw new InvalidInputException(
                    "'" + repo + "' in '" + redactUserInfo(url) + "' is not a CodeCommit repository name.",
                    "Repository names are up to 100 letters, digits, '.', '_' and '-', and do not end in .git.");
        }
    }

    private static InvalidInputException credentialsInUrl(String url) {
        return new InvalidInputException(
                "'" + redactUserInfo(url)
                        + "' carries credentials in the URL, where logs and Git configuration would keep them.",
                "Remove user and password from the URL and give them as credentials.");
    }

    private static boolean looksLikeCodeCommit(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.contains("git-codecommit") && h.contains("amazonaws.com");
    }

    private static CodeCommitUrl plain(
            String url, Transport transport, String host, int port, String path, String user) {
        return new CodeCommitUrl(url, transport, host, port, path, user, false, null, null, false, false, null);
    }

    private static CodeCommitUrl plainFile(String path) {
        return new CodeCommitUrl(path, Transport.FILE, null, -1, path, null, false, null, null, false, false, null);
    }

    private static String stripAt(String userPart) {
        return userPart == null ? null : userPart.substring(0, userPart.length() - 1);
    }

    private static String hostOf(String url) {
        try {
            return new URI(url).getHost();
        } catch (URISyntaxException e) {
            return "git-codecommit.REGION.amazonaws.com";
        }
    }

    /**
     * Hides what a URL's user info may hide: a password after ':' and a session token after '%'
     * (or its encoded form '%25'). A bare user name, such as an SSH key ID, stays readable.
     */
    public static String redactUserInfo(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        int authorityStart = start + 3;
        // The last '@' overall: an unencoded '/' or '@' in a password must not end the masking early.
        int at = url.lastIndexOf('@');
        if (at < authorityStart) {
            return url;
        }
        String userInfo = url.substring(authorityStart, at);
        int cut = -1;
        for (int i = 0; i < userInfo.length(); i++) {
            if (userInfo.charAt(i) == ':' || userInfo.charAt(i) == '%') {
                cut = i;
                break;
            }
        }
        if (cut < 0) {
            return url;
        }
        return url.substring(0, authorityStart + cut + 1) + "****" + url.substring(at);
    }

    /** The URL handed to Git. */
    public String gitUrl() {
        return gitUrl;
    }

    public Transport transport() {
        return transport;
    }

    public String host() {
        return host;
    }

    /** The port, or -1 for the scheme's default. */
    public int port() {
        return port;
    }

    public String path() {
        return path;
    }

    /** The user in the URL; for CodeCommit over SSH, the SSH key ID. */
    public String user() {
        return user;
    }

    public boolean isCodeCommit() {
        return codeCommit;
    }

    /** The region of a CodeCommit URL, or {@code null} for plain Git. */
    public String region() {
        return region;
    }

    /** The repository name of a CodeCommit URL, or {@code null} for plain Git. */
    public String repository() {
        return repository;
    }

    public boolean isFips() {
        return fips;
    }

    /** True for a VPC endpoint or other non-standard host, which Flux's {@code provider: aws} does not accept. */
    public boolean isNonStandardHost() {
        return vpcEndpoint;
    }

    /** The AWS profile named in a {@code codecommit::} URL, or {@code null}. */
    public String profile() {
        return profile;
    }

    /**
     * The HTTPS URL of the same CodeCommit repository, for an IAM identity: empty for plain Git and for
     * hosts that are not CodeCommit's own (a VPC endpoint's name, a test server), whose HTTPS name
     * cannot be derived and must be given.
     */
    public java.util.Optional<CodeCommitUrl> httpsForIam() {
        if (!codeCommit || vpcEndpoint || !host.startsWith("git-codecommit")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(parse("https://" + host + path));
    }

    /** This URL with another SSH user: the form a new SSH key ID takes after a rotation. */
    public CodeCommitUrl withSshUser(String keyId) {
        if (transport != Transport.SSH) {
            throw new IllegalStateException("not an SSH URL: " + gitUrl);
        }
        String newUrl = "ssh://" + keyId + "@" + host + (port == -1 ? "" : ":" + port) + path;
        CodeCommitUrl parsed = parse(newUrl);
        return codeCommit && !parsed.codeCommit ? parsed.asCodeCommit(region) : parsed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodeCommitUrl other && gitUrl.equals(other.gitUrl) && codeCommit == other.codeCommit;
    }

    @Override
    public int hashCode() {
        return gitUrl.hashCode();
    }

    @Override
    public String toString() {
        return redactUserInfo(gitUrl);
    }
}
