package io.jenkins.plugins.fluxcodecommit.git;

import io.jenkins.plugins.fluxcodecommit.aws.AwsClients;
import io.jenkins.plugins.fluxcodecommit.aws.RegionChoice;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.NonFastForwardException;
import io.jenkins.plugins.fluxcodecommit.error.RedactedException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.ssh.CodeCommitHostKeys;
import io.jenkins.plugins.fluxcodecommit.ssh.HostKeyScanner;
import io.jenkins.plugins.fluxcodecommit.ssh.KeyExchangeOrder;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.tls.TrustedCertificates;
import io.jenkins.plugins.fluxcodecommit.tls.UntrustedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Git access to one remote with one authentication: ls-remote, clone of one branch, commit and
 * push, over HTTPS with IAM (CodeCommit SigV4 Git credentials), SSH with a key (the IAM SSH key ID
 * as user for CodeCommit) or plain Git. Every failure is translated into a user-facing error with
 * the secrets of the operation redacted.
 */
public final class GitAccess implements AutoCloseable {
    private final CodeCommitUrl url;
    private final String describeAuth;
    private final CredentialsProvider credentials;
    private final SshdSessionFactory sshFactory;
    private final Path sshHome;
    private final KnownHostsDatabase hostKeys;
    private final CodeCommitCredentialsProvider iam;
    private final Redactor redactor;
    private final ProgressListener listener;
    private final int timeoutSeconds;
    private final TrustedCertificates trust;
    private final TrustingHttpConnectionFactory https;

    private GitAccess(
            Builder b,
            CodeCommitUrl url,
            String describeAuth,
            CredentialsProvider credentials,
            SshdSessionFactory sshFactory,
            Path sshHome,
            KnownHostsDatabase hostKeys,
            CodeCommitCredentialsProvider iam) {
        this.url = url;
        this.describeAuth = describeAuth;
        this.credentials = credentials;
        this.sshFactory = sshFactory;
        this.sshHome = sshHome;
        this.hostKeys = hostKeys;
        this.iam = iam;
        this.redactor = b.redactor;
        this.listener = b.listener;
        this.timeoutSeconds = (int) Math.max(1, b.timeout.toSeconds());
        this.trust = b.aws == null ? TrustedCertificates.none() : b.aws.trust();
        // Without extra CAs or an environment proxy JGit keeps the JVM's default HTTPS connections.
        EnvironmentProxy proxy = EnvironmentProxy.from(b.environment).orElse(null);
        this.https = trust.isEmpty() && proxy == null ? null : new TrustingHttpConnectionFactory(trust, proxy);
    }

    public static Builder builder(CodeCommitUrl url, GitAuth auth) {
        return new Builder(url, auth);
    }

    /** Configures and opens a {@link GitAccess}. */
    public static final class Builder {
        private final CodeCommitUrl url;
        private final GitAuth auth;
        private AwsClients aws;
        private Clock clock = Clock.systemUTC();
        private ProgressListener listener = ProgressListener.none();
        private Redactor redactor = new Redactor();
        private Duration timeout = Duration.ofMinutes(2);
        private Duration scanTimeout = HostKeyScanner.DEFAULT_TIMEOUT;
        private Map<String, String> environment = Map.of();
        private HostKeyTrust.Pinned pinned;
        private boolean acceptNewHostKey;
        private CodeCommitHostKeys publishedHostKeys = CodeCommitHostKeys.published();

        private Builder(CodeCommitUrl url, GitAuth auth) {
            this.url = url;
            this.auth = auth;
        }

        /**
         * The operation's AWS clients: for IAM authentication, and for the CA certificates HTTPS
         * trusts on top of the JVM's ({@link AwsClients#trust()}). The caller owns and closes them.
         */
        public Builder aws(AwsClients aws) {
            this.aws = aws;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = listener;
            return this;
        }

        /** The operation's redactor: secrets met here are added to it. */
        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
            return this;
        }

        /** Network timeout of one Git connection. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder hostKeyScanTimeout(Duration scanTimeout) {
            this.scanTimeout = scanTimeout;
            return this;
        }

        /**
         * The known_hosts an earlier run stored (the cluster's source secret), kept unless the host
         * now shows another key; {@code null} or blank for none.
         *
         * @param where where it is stored, for messages, e.g. {@code Secret flux-system/flux-system}
         */
        public Builder pinnedKnownHosts(String knownHosts, String where) {
            this.pinned =
                    knownHosts == null || knownHosts.isBlank() ? null : new HostKeyTrust.Pinned(knownHosts, where);
            return this;
        }

        /** Lets a scanned host key that differs from the pinned one replace it (logged). */
        public Builder acceptNewHostKey(boolean accept) {
            this.acceptNewHostKey = accept;
            return this;
        }

        /** The fingerprints scanned CodeCommit host keys are checked against (AWS's by default). */
        public Builder publishedHostKeys(CodeCommitHostKeys published) {
            this.publishedHostKeys = published;
            return this;
        }

        /** Environment variables (for the region fallback); empty by default, never read implicitly. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        public GitAccess open() {
            ProgressListener log = ProgressListener.redacting(listener, redactor);
            listener = log;
            if (auth instanceof GitAuth.Iam iamAuth) {
                return openIam(iamAuth);
            }
            if (auth instanceof GitAuth.SshKey ssh) {
                return openSsh(ssh);
            }
            if (auth instanceof GitAuth.Basic basic) {
                redactor.add(basic.password());
                log.info("Git over " + url.transport() + " as " + basic.username() + " (HTTPS Git credentials) to "
                        + url);
                return new GitAccess(
                        this,
                        url,
                        "user " + basic.username(),
                        new UsernamePasswordCredentialsProvider(
                                basic.username(), basic.password().reveal()),
                        null,
                        null,
                        null,
                        null);
            }
            log.info("Git without credentials to " + url);
            return new GitAccess(this, url, "no credentials", null, null, null, null, null);
        }

        private GitAccess openIam(GitAuth.Iam iamAuth) {
            if (aws == null) {
                throw new IllegalStateException("IAM authentication needs AwsClients");
            }
            if (url.transport() != CodeCommitUrl.Transport.HTTPS) {
                throw new InvalidInputException(
                        url + " does not use https://; IAM (SigV4) Git credentials work only over HTTPS.",
                        "Use the repository's https:// URL.");
            }
            CodeCommitUrl target = url;
            if (!url.isCodeCommit()) {
                if (iamAuth.region() == null || iamAuth.region().isBlank()) {
                    throw new InvalidInputException(
                            url + " is not on a standard CodeCommit host, so its region cannot be read from it.",
                            "Give the region explicitly (needed for VPC endpoint host names), or use"
                                    + " https://git-codecommit.REGION.amazonaws.com/v1/repos/NAME.");
                }
                target = url.asCodeCommit(iamAuth.region().trim());
            }
            RegionChoice region = RegionChoice.resolve(iamAuth.region(), target, environment);
            var provider = aws.credentials(iamAuth.identity(), region.region());
            CodeCommitCredentialsProvider signer = new CodeCommitCredentialsProvider(
                    target, region.region(), aws, provider, iamAuth.identity(), clock, redactor);
            // Sign once now: a missing or refused identity fails here, before any Git traffic.
            signer.sign();
            listener.info("Git over HTTPS with IAM as " + iamAuth.identity().describe() + " (access key "
                    + signer.lastAccessKeyId() + ", region " + region + ") to " + target);
            return new GitAccess(this, target, iamAuth.identity().describe(), signer, null, null, null, signer);
        }

        private GitAccess openSsh(GitAuth.SshKey ssh) {
            redactor.add(ssh.privateKey(), ssh.passphrase());
            SshKeyPair key = SshKeyPair.parse(ssh.privateKey(), ssh.passphrase());
            if (url.isCodeCommit()) {
                key.requireCodeCommitCompatible();
            }
            String host = url.host();
            int port = url.port();
            KnownHostsDatabase database = new HostKeyTrust(host, port, publishedHostKeys, scanTimeout, listener)
                    .database(ssh.knownHosts(), pinned, acceptNewHostKey);
            Path home;
            home = WorkingCopies.create(environment, "ssh");
            SshdSessionFactory factory = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home.toFile())
                    .setSshDirectory(home.resolve(".ssh").toFile())
                    .setDefaultKeysProvider(dir -> List.of(key.keyPair()))
                    .setServerKeyDatabase((h, s) -> database)
                    .setConfigStoreFactory((h, f, u) -> KeyExchangeOrder.jgitConfig())
                    .setPreferredAuthentications("publickey")
                    .build(null);
            listener.info("Git over SSH as " + url.user() + " with key " + key + " to " + url);
            return new GitAccess(this, url, "SSH key " + key.fingerprintSha256(), null, factory, home, database, null);
        }
    }

    /** The remote as used (for a VPC endpoint host, with the region attached). */
    public CodeCommitUrl url() {
        return url;
    }

    /** The known_hosts text in force for SSH (given or scanned), or {@code null} for HTTPS. */
    public String knownHosts() {
        return hostKeys == null ? null : hostKeys.knownHosts().text();
    }

    /** The access key ID of the last signed HTTPS credential, or {@code null} when not using IAM. */
    public String iamAccessKeyId() {
        return iam == null ? null : iam.lastAccessKeyId();
    }

    /**
     * A freshly signed temporary HTTPS Git credential, as Flux puts in the source secret for
     * {@code provider: aws}; empty when not using IAM.
     */
    public Optional<io.jenkins.plugins.fluxcodecommit.codecommit.GitHttpCredential> freshIamCredential() {
        return iam == null ? Optional.empty() : Optional.of(iam.sign());
    }

    /** The remote's branches. */
    public RemoteHeads lsRemote() {
        beginOperation();
        // An in-memory repository has a config of its own only: the machine's ~/.gitconfig
        // (insteadOf, http.sslVerify, proxies) cannot redirect or weaken this connection.
        try (Repository isolated = new InMemoryRepository(new DfsRepositoryDescription("ls-remote"));
                Git git = new Git(isolated)) {
            // A local repository is opened through the file system, which an in-memory one lacks.
            Map<String, Ref> refs = url.transport() == CodeCommitUrl.Transport.FILE
                    ? configure(Git.lsRemoteRepository().setRemote(url.gitUrl()))
                            .callAsMap()
                    : configure(git.lsRemote().setRemote(url.gitUrl())).callAsMap();
            Map<String, String> branches = new TreeMap<>();
            for (Ref ref : refs.values()) {
                if (ref.getName().startsWith(Constants.R_HEADS) && ref.getObjectId() != null) {
                    branches.put(
                            ref.getName().substring(Constants.R_HEADS.length()),
                            ref.getObjectId().name());
                }
            }
            Ref headRef = refs.get(Constants.HEAD);
            String head = headRef != null && headRef.isSymbolic()
                    ? shortBranchName(headRef.getTarget().getName())
                    : null;
            return RemoteHeads.of(branches, head);
        } catch (GitAPIException | JGitInternalException e) {
            throw translate(e, "list the branches of");
        }
    }

    /**
     * Clones one branch into an empty directory. An empty remote gives an empty local repository on
     * that branch; a non-empty remote without the branch is an error naming the branches it has.
     *
     * <p>One connection when the branch exists: the fetch's own ref advertisement says so. Only a
     * fetch that fails lists the remote's branches, to tell an empty repository or a missing branch
     * from a failure, which then is reported as the listing or the fetch met it.
     */
    public Checkout cloneBranch(Path directory, String branch) {
        Git git = null;
        try {
            // init + pinned config + fetch, rather than clone: the repository's own settings
            // override anything the machine's Git configuration says before any traffic.
            git = Git.init()
                    .setDirectory(directory.toFile())
                    .setInitialBranch(branch)
                    .call();
            Path hooks = Files.createDirectories(directory.resolve(".git").resolve("no-hooks"));
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", url.gitUrl());
            config.setString("remote", "origin", "fetch", "+refs/heads/" + branch + ":refs/remotes/origin/" + branch);
            config.setBoolean("http", null, "sslVerify", true);
            config.setString("http", null, "followRedirects", "false");
            config.setString("core", null, "hooksPath", hooks.toString());
            config.setBoolean("commit", null, "gpgSign", false);
            config.save();
            FetchResult fetched;
            try {
                beginOperation();
                fetched = configure(git.fetch()
                                .setRemote(url.gitUrl())
                                .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/remotes/origin/" + branch)))
                        .call();
            } catch (GitAPIException | JGitInternalException e) {
                RemoteHeads heads = lsRemote();
                if (heads.isEmpty()) {
                    listener.info("The repository " + url + " is empty; starting branch " + branch);
                    return new Checkout(git, directory, branch);
                }
                if (!heads.branches().containsKey(branch)) {
                    throw new InvalidInputException(
                            "Branch '" + branch + "' does not exist in " + url + "; it has "
                                    + String.join(", ", heads.branches().keySet()) + ".",
                            "Create the branch first, or choose one of the existing branches.");
                }
                throw e;
            }
            RefUpdate update = git.getRepository().updateRef(Constants.R_HEADS + branch);
            update.setNewObjectId(git.getRepository().resolve("refs/remotes/origin/" + branch));
            update.forceUpdate();
            git.reset()
                    .setMode(ResetCommand.ResetType.HARD)
                    .setRef(Constants.R_HEADS + branch)
                    .call();
            listener.info("Cloned " + url + " branch " + branch + " at "
                    + fetched.getAdvertisedRef(Constants.R_HEADS + branch)
                            .getObjectId()
                            .name());
            return new Checkout(git, directory, branch);
        } catch (GitAPIException | JGitInternalException e) {
            closeQuietly(git);
            throw translate(e, "clone");
        } catch (IOException e) {
            closeQuietly(git);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(git);
            throw e;
        }
    }

    private static void closeQuietly(Git git) {
        if (git != null) {
            git.close();
        }
    }

    /**
     * Stages every change in the working tree (additions, modifications, deletions) and commits it.
     *
     * @return the new commit, or empty when there was nothing to commit
     */
    public Optional<String> commitAll(Checkout checkout, String message, PersonIdent author) {
        try {
            Git git = checkout.git();
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            var status = git.status().call();
            if (status.getAdded().isEmpty()
                    && status.getChanged().isEmpty()
                    && status.getRemoved().isEmpty()) {
                return Optional.empty();
            }
            RevCommit commit = git.commit()
                    .setMessage(message)
                    .setAuthor(author)
                    .setCommitter(author)
                    .setSign(false)
                    .setNoVerify(true)
                    .call();
            return Optional.of(commit.name());
        } catch (GitAPIException | JGitInternalException e) {
            throw new RemoteOperationException(
                    "Committing in " + checkout.directory() + " failed: " + redactor.redact(e.getMessage()),
                    "Check free disk space and permissions of the working directory.",
                    RedactedException.of(e, redactor));
        }
    }

    /**
     * Pushes the checkout's HEAD to its branch. A rejection because the remote moved is a
     * {@link NonFastForwardException}, so callers can fetch and redo their change.
     */
    public PushOutcome push(Checkout checkout) {
        beginOperation();
        String branch = checkout.branch();
        String ref = Constants.R_HEADS + branch;
        try {
            Iterable<PushResult> results = configure(
                            checkout.git().push().setRemote(url.gitUrl()).setRefSpecs(new RefSpec("HEAD:" + ref)))
                    .call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate(ref);
                if (update == null) {
                    continue;
                }
                switch (update.getStatus()) {
                    case OK:
                        listener.info("Pushed " + update.getNewObjectId().name() + " to " + url + " branch " + branch);
                        return new PushOutcome(branch, update.getNewObjectId().name(), false);
                    case UP_TO_DATE:
                        return new PushOutcome(branch, update.getNewObjectId().name(), true);
                    case REJECTED_NONFASTFORWARD:
                    case REJECTED_REMOTE_CHANGED:
                        throw new NonFastForwardException(
                                "The push to " + url + " branch " + branch + " was rejected: the branch moved since it"
                                        + " was cloned (non-fast-forward).",
                                "Run the operation again; it starts from the new branch head.");
                    case REJECTED_OTHER_REASON:
                        if (update.getMessage() != null
                                && LOST_RACE.matcher(update.getMessage()).find()) {
                            throw new NonFastForwardException(
                                    "The push to " + url + " branch " + branch + " lost a race with another push ("
                                            + update.getMessage() + ").",
                                    "Run the operation again; it starts from the new branch head.");
                        }
                    // fall through: any other refusal
                    default:
                        String message =
                                update.getMessage() == null ? update.getStatus().name() : update.getMessage();
                        String lower = message.toLowerCase(java.util.Locale.ROOT);
                        if (lower.contains("access denied") || lower.contains("permission denied")) {
                            throw accessDenied("push to", redactor.redact(message), null);
                        }
                        throw new RemoteOperationException(
                                "The push to " + url + " branch " + branch + " was refused: "
                                        + redactor.redact(message),
                                "Check branch protection (approval rule templates, IAM conditions on codecommit:References).");
                }
            }
            throw new RemoteOperationException(
                    "The push to " + url + " returned no result for " + ref + ".", "Run the operation again.");
        } catch (GitAPIException | JGitInternalException e) {
            throw translate(e, "push to");
        }
    }

    private <C extends TransportCommand<C, ?>> C configure(C command) {
        command.setTimeout(timeoutSeconds);
        if (credentials != null) {
            command.setCredentialsProvider(new BoundCredentialsProvider(url, credentials));
        }
        if (sshFactory != null || https != null) {
            command.setTransportConfigCallback(transport -> {
                if (transport instanceof SshTransport ssh && sshFactory != null) {
                    ssh.setSshSessionFactory(sshFactory);
                }
                if (transport instanceof TransportHttp http && https != null) {
                    http.setHttpConnectionFactory(https);
                }
            });
        }
        return command;
    }

    private void beginOperation() {
        if (hostKeys != null) {
            hostKeys.reset();
        }
    }

    private FluxCodeCommitException translate(Exception e, String action) {
        RedactedException cause = RedactedException.of(e, redactor);
        FluxCodeCommitException refusal = hostKeys == null ? null : hostKeys.refusal();
        if (refusal != null) {
            return refusal;
        }
        if (hasCause(e, NoRemoteRepositoryException.class)) {
            return notFound(cause);
        }
        if (UntrustedCertificate.in(e)) {
            return UntrustedCertificate.error(
                    url.host() + (url.port() > 0 ? ":" + url.port() : ""), trust.describe(), trust, cause);
        }
        // Classify by JGit's and SSHD's own words, with the URL taken out: a repository or port
        // number such as "svc-403" must not read as a status code.
        String text = withoutUrl(chainText(e));
        if (ACCESS_DENIED.matcher(text).find()) {
            return accessDenied(action, cause.rootMessage(), cause);
        }
        if (NOT_FOUND.matcher(text).find()) {
            return notFound(cause);
        }
        return new RemoteOperationException(
                "Could not " + action + " " + url + ": " + cause.rootMessage(),
                "Check that this machine reaches " + url.host()
                        + " (DNS, proxy, security groups, VPC endpoint), then retry.",
                cause);
    }

    // What servers say when the ref moved between their advertisement and the update.
    private static final java.util.regex.Pattern LOST_RACE = java.util.regex.Pattern.compile(
            "failed to lock|lock error|fetch first|invalid old id|stale info|non-fast-forward|cannot lock",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private static final java.util.regex.Pattern ACCESS_DENIED = java.util.regex.Pattern.compile(
            "not authorized|not permitted|authentication is required|authentication failed"
                    + "|no more authentication methods|cannot log in|\\b40[13]\\b|forbidden|unauthorized",
            java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern NOT_FOUND = java.util.regex.Pattern.compile(
            "repository not found|does not appear to be a git repository|\\bnot found\\b|\\b404\\b",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private InvalidInputException notFound(RedactedException cause) {
        return new InvalidInputException(
                "The repository " + url + " was not found.",
                "Check the repository name and region in the URL; repository names are case-sensitive.",
                cause);
    }

    private String withoutUrl(String text) {
        String out = text.replace(url.gitUrl(), "URL");
        if (url.host() != null) {
            out = out.replace(url.host() + (url.port() > 0 ? ":" + url.port() : ""), "HOST");
        }
        if (url.path() != null && url.path().length() > 1) {
            out = out.replace(url.path(), "/PATH");
        }
        return redactor.redact(out);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private AccessDeniedException accessDenied(String action, String detail, RedactedException cause) {
        String fix;
        if (iam != null) {
            fix = "Check that " + describeAuth + " is allowed codecommit:GitPull"
                    + (action.startsWith("push") ? " and codecommit:GitPush" : "") + " on the repository ARN"
                    + (url.repository() == null
                            ? ""
                            : " (arn:aws:codecommit:" + url.region() + ":ACCOUNT:" + url.repository() + ")")
                    + ", that the key is active, and that the region " + url.region() + " is the repository's.";
        } else if (sshFactory != null) {
            fix = "Check that the SSH user " + url.user() + " is the ID of an SSH public key uploaded to the IAM user,"
                    + " that this private key is its pair, that the key is Active, and that the user is allowed"
                    + " codecommit:GitPull" + (action.startsWith("push") ? " and codecommit:GitPush" : "") + ".";
        } else {
            fix = "Check the user name and password (for CodeCommit: the HTTPS Git credentials of the IAM user,"
                    + " active, with codecommit:GitPull" + (action.startsWith("push") ? "/GitPush" : "") + ").";
        }
        return new AccessDeniedException(
                "Access denied to " + action + " " + url + " as " + describeAuth + ": " + detail, fix, cause);
    }

    private static String chainText(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            text.append(c.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static String shortBranchName(String refName) {
        return refName.startsWith(Constants.R_HEADS) ? refName.substring(Constants.R_HEADS.length()) : refName;
    }

    /** A person for commits; an empty email is allowed (Flux's default author has none). */
    public static PersonIdent author(String name, String email, Clock clock) {
        return new PersonIdent(name, email == null ? "" : email, clock.instant(), java.time.ZoneOffset.UTC);
    }

    @Override
    public void close() {
        if (sshFactory != null) {
            sshFactory.close();
        }
        if (sshHome != null) {
            Directories.delete(sshHome);
        }
    }
}
