package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests from a release (checksums, cache), a tarball, a mirror URL and a directory. */
class ManifestFilesTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private byte[] tarball;

    @BeforeEach
    void serveARelease() throws Exception {
        tarball = tarball(Path.of(System.getProperty("flux.sample.manifests")));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        served.put("/releases/download/v2.9.4/manifests.tar.gz", tarball);
        served.put(
                "/releases/download/v2.9.4/flux_2.9.4_checksums.txt",
                ("0000000000000000000000000000000000000000000000000000000000000000  flux_2.9.4_linux_amd64.tar.gz\n"
                                + sha256(tarball) + "  manifests.tar.gz\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/releases";
    }

    @Test
    void releaseIsDownloadedVerifiedAndCached() {
        Path cache = tmp.resolve("cache");
        ManifestFiles first = ManifestFiles.load(
                new ManifestsSource.Release(base()), "v2.9.4", cache, Duration.ofSeconds(10), ProgressListener.none());
        assertThat(first.has("source-controller.yaml")).isTrue();
        assertThat(cache)
                .isDirectoryContaining(p -> p.getFileName().toString().startsWith("flux-2.9.4-")
                        && p.getFileName().toString().endsWith("-manifests.tar.gz"));
        ManifestFiles second = ManifestFiles.load(
                new ManifestsSource.Release(base()), "2.9.4", cache, Duration.ofSeconds(10), ProgressListener.none());
        assertThat(second.require("rbac.yaml")).isEqualTo(first.require("rbac.yaml"));
        assertThat(requests)
                .as("the archive comes from the cache; the checksums are fetched to verify it")
                .containsOnlyOnce("/releases/download/v2.9.4/manifests.tar.gz");
    }

    private Path cachedEntry(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-manifests.tar.gz"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void aTamperedCacheEntryIsRefusedNamingTheFileBothChecksumsAndTheFix() throws IOException {
        Path cache = tmp.resolve("cache");
        ManifestFiles.load(
                new ManifestsSource.Release(base()), "v2.9.4", cache, Duration.ofSeconds(10), ProgressListener.none());
        Path entry = cachedEntry(cache);
        byte[] planted = tarball(tmp, "planted");
        Files.write(entry, planted);

        assertThatThrownBy(() -> ManifestFiles.load(
                        new ManifestsSource.Release(base()),
                        "v2.9.4",
                        cache,
                        Duration.ofSeconds(10),
                        ProgressListener.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(entry.toString())
                .hasMessageContaining(sha256(tarball).substring(0, 12))
                .hasMessageContaining(sha256(planted).substring(0, 12))
                .hasMessageContaining("Fix: Delete " + entry);
        assertThat(Files.readAllBytes(entry)).as("left for the user to inspect").isEqualTo(planted);
    }

    @Test
    void theCacheDirectoryIsCreatedPrivate() throws IOException {
        Path cache = tmp.resolve("new/cache");
        ManifestFiles.load(
                new ManifestsSource.Release(base()), "v2.9.4", cache, Duration.ofSeconds(10), ProgressListener.none());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cachedEntry(cache))))
                .isEqualTo("rw-------");
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsMadePrivateBeforeUse() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> log = new CopyOnWriteArrayList<>();
        ManifestFiles.load(new ManifestsSource.Release(base()), "v2.9.4", cache, Duration.ofSeconds(10), log::add);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rwx------");
        assertThat(log).anyMatch(l -> l.contains(cache.toString()) && l.contains("rwxrwxrwx"));
    }

    @Test
    void aCacheDirectoryThatIsAFileIsRefusedBeforeAnyDownload() throws IOException {
        Path cache = Files.writeString(tmp.resolve("cache-file"), "not a directory");
        assertThatThrownBy(() -> ManifestFiles.load(
                        new ManifestsSource.Release(base()),
                        "v2.9.4",
                        cache,
                        Duration.ofSeconds(10),
                        ProgressListener.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(cache + " is not a directory");
        assertThat(requests).noneMatch(r -> r.endsWith("manifests.tar.gz"));
    }

    @Test
    void aMalformedSha256IsRefusedBeforeAnyDownload() {
        assertThatThrownBy(() -> ManifestsSource.parse("https://mirror.example/manifests.tar.gz", "abc123", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'abc123' is not a SHA-256");
    }

    @Test
    void aSha256GivenForALocalTarballIsChecked() throws IOException {
        Path file = Files.write(tmp.resolve("manifests.tar.gz"), tarball);
        assertThat(ManifestFiles.load(
                                ManifestsSource.parse(file.toString(), sha256(tarball), null),
                                "v2.9.4",
                                tmp,
                                Duration.ofSeconds(1),
                                ProgressListener.none())
                        .has("policies.yaml"))
                .isTrue();
        assertThatThrownBy(() -> ManifestFiles.load(
                        ManifestsSource.parse(file.toString(), "ab".repeat(32), null),
                        "v2.9.4",
                        tmp,
                        Duration.ofSeconds(1),
                        ProgressListener.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(sha256(tarball).substring(0, 12));
    }

    @Test
    void aSha256ThatNothingWouldCheckIsRefused() {
        assertThatThrownBy(() -> ManifestsSource.parse(null, "ab".repeat(32), base()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no manifests tarball or URL");
        assertThatThrownBy(() -> ManifestFiles.load(
                        ManifestsSource.parse(System.getProperty("flux.sample.manifests"), "ab".repeat(32), null),
                        "v2.9.4",
                        tmp,
                        Duration.ofSeconds(1),
                        ProgressListener.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void aReleaseWhoseChecksumDoesNotMatchIsRefusedAndNotCached() throws IOException {
        served.put("/releases/download/v2.9.4/manifests.tar.gz", tarball(tmp, "tampered"));
        Path cache = tmp.resolve("cache");
        assertThatThrownBy(() -> ManifestFiles.load(
                        new ManifestsSource.Release(base()),
                        "v2.9.4",
                        cache,
                        Duration.ofSeconds(10),
                        ProgressListener.none()))
                .isInstanceOf(RemoteOperationException.class)
                .hasMessageContaining("The SHA-256 of")
                .hasMessageContaining(sha256(tarball));
        try (Stream<Path> cached = Files.exists(cache) ? Files.list(cache) : Stream.empty()) {
            assertThat(cached).as("nothing cached").isEmpty();
        }
    }

    @Test
    void anUnknownVersionNamesTheFix() {
        assertThatThrownBy(() -> ManifestFiles.load(
                        new ManifestsSource.Release(base()),
                        "v9.9.9",
                        tmp,
                        Duration.ofSeconds(10),
                        ProgressListener.none()))
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("Check the Flux version");
    }

    @Test
    void mirrorUrlIsCheckedAgainstTheGivenSha256() {
        served.put("/mirror/manifests.tar.gz", tarball);
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/manifests.tar.gz");
        assertThat(ManifestFiles.load(
                                new ManifestsSource.Url(url, sha256(tarball)),
                                "v2.9.4",
                                tmp,
                                Duration.ofSeconds(10),
                                ProgressListener.none())
                        .has("kustomize-controller.yaml"))
                .isTrue();
        assertThatThrownBy(() -> ManifestFiles.load(
                        new ManifestsSource.Url(url, "ab".repeat(32)),
                        "v2.9.4",
                        tmp,
                        Duration.ofSeconds(10),
                        ProgressListener.none()))
                .hasMessageContaining("The SHA-256 of");
        List<String> warnings = new CopyOnWriteArrayList<>();
        ManifestFiles.load(new ManifestsSource.Url(url, null), "v2.9.4", tmp, Duration.ofSeconds(10), warnings::add);
        assertThat(warnings).anyMatch(w -> w.contains("not verified"));
    }

    @Test
    void localTarballAndDirectoryAreRead() throws IOException {
        Path file = tmp.resolve("manifests.tar.gz");
        Files.write(file, tarball);
        assertThat(ManifestFiles.load(
                                new ManifestsSource.Tarball(file.toString()),
                                "v2.9.4",
                                tmp,
                                Duration.ofSeconds(1),
                                ProgressListener.none())
                        .has("policies.yaml"))
                .isTrue();
        Files.writeString(tmp.resolve("not-a-tarball.tar.gz"), "hello");
        assertThatThrownBy(() -> ManifestFiles.load(
                        new ManifestsSource.Tarball(
                                tmp.resolve("not-a-tarball.tar.gz").toString()),
                        "v2.9.4",
                        tmp,
                        Duration.ofSeconds(1),
                        ProgressListener.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a gzip-compressed tar archive");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tarball(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out));
                Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                byte[] content = Files.readAllBytes(f);
                TarArchiveEntry entry = new TarArchiveEntry("./" + f.getFileName());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] tarball(Path tmp, String marker) {
        try {
            Path dir = Files.createDirectories(tmp.resolve(marker));
            Files.writeString(dir.resolve("source-controller.yaml"), "# " + marker + "\n");
            return tarball(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
