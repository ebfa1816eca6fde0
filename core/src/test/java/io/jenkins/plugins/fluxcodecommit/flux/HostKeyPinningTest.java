package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.HostKeyMismatchException;
import io.jenkins.plugins.fluxcodecommit.kube.KubeConnection;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import io.jenkins.plugins.fluxcodecommit.ssh.KnownHosts;
import io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitSshServer;
import io.jenkins.plugins.fluxcodecommit.testing.KubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An SSH bootstrap rerun keeps the host key the cluster's source secret pins: a host that shows
 * another key is refused before any change, unless the new known_hosts is given or the new key is
 * accepted explicitly.
 */
class HostKeyPinningTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @RegisterExtension
    static final KubeApiServer CLUSTER = new KubeApiServer();

    // Its own server: these tests replace its host key.
    @RegisterExtension
    static final CodeCommitSshServer SSH = new CodeCommitSshServer();

    static final String KEY_ID = "APKAPINNING000000001";
    static SshKeyPair key;
    static KubeConnection kube;

    final List<String> log = new CopyOnWriteArrayList<>();
    final ProgressListener listener = log::add;

    @BeforeAll
    static void setUp() {
        key = SshKeyPair.generateRsa(2048);
        SSH.registerKey(KEY_ID, key.publicKey());
        kube = CLUSTER.connect();
    }

    @AfterAll
    static void tearDown() {
        kube.close();
    }

    static KubernetesClient k8s() {
        return kube.client();
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    BootstrapRequest.Builder ssh(String repo, String namespace) {
        return BootstrapRequest.builder(
                        CodeCommitUrl.parse(SSH.url(KEY_ID, repo)).gitUrl())
                .sshKey(key.privateKeyPem(), null)
                .path("clusters/pinned")
                .install(new InstallOptions(null, namespace, null, null, null, null, true, true, null, null, null))
                .manifests(new ManifestsSource.Directory(System.getProperty("flux.sample.manifests")))
                .cluster(CLUSTER.target())
                .waitForHealth(false)
                .pollInterval(Duration.ofMillis(100))
                .timeout(Duration.ofSeconds(30));
    }

    BootstrapResult run(BootstrapRequest request) {
        return new Bootstrap(request, Map.of(), Clock.systemUTC()).call(listener);
    }

    static Map<String, String> secret(String namespace) {
        var s = k8s().secrets().inNamespace(namespace).withName("flux-system").get();
        Map<String, String> out = new TreeMap<>();
        s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    static String secretVersion(String namespace) {
        return k8s().secrets()
                .inNamespace(namespace)
                .withName("flux-system")
                .get()
                .getMetadata()
                .getResourceVersion();
    }

    static String head(String repo) throws IOException {
        try (Repository r = SSH.open(repo)) {
            return r.resolve("refs/heads/main").name();
        }
    }

    @Test
    void aRerunRefusesAHostKeyThatDiffersFromThePinnedOneBeforeAnyChange() throws Exception {
        String repo = SSH.createRepository(unique("pin-changed"));
        String ns = unique("flux-pin-changed");
        run(ssh(repo, ns).build());
        String pinned = KnownHosts.fingerprint(SSH.hostKey());
        String version = secretVersion(ns);
        String headBefore = head(repo);
        SSH.replaceHostKey();
        String now = KnownHosts.fingerprint(SSH.hostKey());

        assertThatThrownBy(() -> run(ssh(repo, ns).build()))
                .isInstanceOf(HostKeyMismatchException.class)
                .hasMessageContaining("[127.0.0.1]:" + SSH.port())
                .hasMessageContaining(pinned)
                .hasMessageContaining(now)
                .hasMessageContaining("Secret " + ns + "/flux-system")
                .hasMessageContaining("--accept-new-host-key")
                .hasMessageContaining("--known-hosts-file");
        assertThat(secretVersion(ns)).isEqualTo(version);
        assertThat(secret(ns).get("known_hosts")).doesNotContain(SSH.knownHostsLine());
        assertThat(head(repo)).isEqualTo(headBefore);
    }

    @Test
    void aRerunChecksThePinnedHostKeyInItsOwnKeyExchangeWithoutAScan() throws Exception {
        String repo = SSH.createRepository(unique("pin-no-scan"));
        String ns = unique("flux-pin-no-scan");
        int before = SSH.unauthenticatedSessions();
        run(ssh(repo, ns).build());
        assertThat(settledUnauthenticatedSessions(before + 1))
                .as("the first run scans the host: one session that never authenticates")
                .isEqualTo(before + 1);
        log.clear();

        BootstrapResult rerun = run(ssh(repo, ns).build());

        assertThat(rerun.secret()).isEqualTo("unchanged");
        assertThat(settledUnauthenticatedSessions(before + 2))
                .as("the rerun makes no scan connection")
                .isEqualTo(before + 1);
        assertThat(log).noneMatch(l -> l.contains("Scanned"));
        assertThat(log).anyMatch(l -> l.contains("checked in the key exchange"));
    }

    /** The server's count once closing sessions are counted: waits up to 2 s for {@code expected}. */
    static int settledUnauthenticatedSessions(int expected) throws InterruptedException {
        for (int i = 0; i < 20 && SSH.unauthenticatedSessions() < expected; i++) {
            Thread.sleep(100);
        }
        return SSH.unauthenticatedSessions();
    }

    @Test
    void aRerunKeepsThePinnedKnownHostsAsItIs() throws Exception {
        String repo = SSH.createRepository(unique("pin-kept"));
        String ns = unique("flux-pin-kept");
        String knownHosts = "git.example.com " + SshKeyPair.generateRsa(2048).publicKeyOpenSsh() + "\n"
                + SSH.knownHostsLine() + "\n";
        run(ssh(repo, ns).knownHosts(knownHosts).build());
        String version = secretVersion(ns);
        log.clear();

        BootstrapResult second = run(ssh(repo, ns).build());

        assertThat(second.secret()).isEqualTo("unchanged");
        assertThat(secretVersion(ns)).isEqualTo(version);
        assertThat(secret(ns).get("known_hosts")).isEqualTo(knownHosts.strip());
        assertThat(log).anyMatch(l -> l.contains("as pinned in Secret " + ns + "/flux-system"));
    }

    @Test
    void aRerunWithAcceptNewHostKeyReplacesThePinAndSaysSo() throws Exception {
        String repo = SSH.createRepository(unique("pin-accept"));
        String ns = unique("flux-pin-accept");
        run(ssh(repo, ns).build());
        String old = KnownHosts.fingerprint(SSH.hostKey());
        SSH.replaceHostKey();
        log.clear();

        BootstrapResult second = run(ssh(repo, ns).acceptNewHostKey(true).build());

        assertThat(second.secret()).isEqualTo("updated");
        assertThat(secret(ns).get("known_hosts").strip()).isEqualTo(SSH.knownHostsLine());
        assertThat(log)
                .anyMatch(l -> l.contains("Replacing the SSH host key")
                        && l.contains(old)
                        && l.contains(KnownHosts.fingerprint(SSH.hostKey())));
    }

    @Test
    void aRerunWithTheNewKnownHostsGivenReplacesThePin() throws Exception {
        String repo = SSH.createRepository(unique("pin-given"));
        String ns = unique("flux-pin-given");
        run(ssh(repo, ns).build());
        SSH.replaceHostKey();

        BootstrapResult second =
                run(ssh(repo, ns).knownHosts(SSH.knownHostsLine()).build());

        assertThat(second.secret()).isEqualTo("updated");
        assertThat(secret(ns).get("known_hosts").strip()).isEqualTo(SSH.knownHostsLine());
        assertThat(log).anyMatch(l -> l.contains("The known_hosts given replaces the host keys"));
    }
}
