package io.jenkins.plugins.fluxcodecommit.flux;

import io.jenkins.plugins.fluxcodecommit.error.FileFailure;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The YAML files of a Flux release's install manifests, by file name, loaded from a {@link ManifestsSource}. */
public final class ManifestFiles {
    private static final long MAX_ARCHIVE = 64L << 20;

    private final Map<String, String> files;
    private final String origin;

    private ManifestFiles(Map<String, String> files, String origin) {
        this.files = Map.copyOf(files);
        this.origin = origin;
    }

    public static ManifestFiles of(Map<String, String> files, String origin) {
        return new ManifestFiles(files, origin);
    }

    /** The content of a file, or an error naming what the source does have. */
    public String require(String name) {
        String content = files.get(name);
        if (content == null) {
            throw new InvalidInputException(
                    origin + " has no " + name + "; it has " + new TreeMap<>(files).keySet() + ".",
                    "Use the manifests of a Flux release that includes this component, or drop the component.");
        }
        return content;
    }

    public boolean has(String name) {
        return files.containsKey(name);
    }

    public String origin() {
        return origin;
    }

    /**
     * Loads the files of a version from a source.
     *
     * @param cacheDirectory where downloaded releases are kept after verification
     */
    public static ManifestFiles load(
            ManifestsSource source, String version, Path cacheDirectory, Duration timeout, ProgressListener log) {
        try {
            if (source instanceof ManifestsSource.Directory dir && Files.isRegularFile(Path.of(dir.path()))) {
                source = new ManifestsSource.Tarball(dir.path(), dir.sha256());
            } else if (source instanceof ManifestsSource.Tarball t && Files.isDirectory(Path.of(t.path()))) {
                source = new ManifestsSource.Directory(t.path(), t.sha256());
            }
            if (source instanceof ManifestsSource.Directory dir) {
                if (dir.sha256() != null) {
                    throw new InvalidInputException(
                            "A SHA-256 was given for " + dir.path() + ", which is a directory: only a tarball or a URL"
                                    + " can be checked against it.",
                            "Give the manifests.tar.gz the SHA-256 belongs to, or drop the SHA-256.");
                }
                return fromDirectory(Path.of(dir.path()));
            }
            if (source instanceof ManifestsSource.Tarball tarball) {
                Path path = Path.of(tarball.path());
                if (!Files.isReadable(path)) {
                    throw new InvalidInputException(
                            "The manifests tarball " + path + " cannot be read.", "Give the path of manifests.tar.gz.");
                }
                byte[] archive = Files.readAllBytes(path);
                String actual = sha256Hex(archive);
                if (tarball.sha256() != null && !actual.equals(tarball.sha256())) {
                    throw new InvalidInputException(
                            "The manifests tarball " + path + " has SHA-256 " + actual.substring(0, 12) + "…, but "
                                    + tarball.sha256().substring(0, 12) + "… was given.",
                            "Check that the tarball is the release's manifests.tar.gz, and the SHA-256 its line in"
                                    + " flux_VERSION_checksums.txt.");
                }
                return fromTarball(archive, source.describe());
            }
            if (source instanceof ManifestsSource.Url url) {
                byte[] archive = download(url.url(), timeout);
                if (url.sha256() == null || url.sha256().isBlank()) {
                    log.warn("No SHA-256 was given for " + url.url() + "; its content is not verified.");
                } else {
                    verify(archive, url.sha256(), url.url().toString());
                }
                return fromTarball(archive, source.describe());
            }
            return fromRelease((ManifestsSource.Release) source, version, cacheDirectory, timeout, log);
        } catch (IOException e) {
            throw new RemoteOperationException(
                    "Reading " + source.describe() + " failed: " + FileFailure.describe(e) + ".",
                    "Check the path or URL and retry.");
        }
    }

    private static ManifestFiles fromRelease(
            ManifestsSource.Release release,
            String version,
            Path cacheDirectory,
            Duration timeout,
            ProgressListener log)
            throws IOException {
        String plain = version.startsWith("v") ? version.substring(1) : version;
        // Keyed by source too: a mirror's copy and GitHub's are verified separately.
        String source = HexFormat.of()
                .formatHex(sha256(release.releasesUrl().getBytes(StandardCharsets.UTF_8)))
                .substring(0, 12);
        String name = "flux-" + plain + "-" + source + "-manifests.tar.gz";
        ManifestCache cache = ManifestCache.open(cacheDirectory, log);
        String base = release.releasesUrl() + "/download/v" + plain + "/";
        // The published checksum is fetched on every run: a cached archive is verified each time it is used.
        String expected = publishedChecksum(base, plain, timeout);
        Optional<byte[]> cached = cache.read(name, expected);
        if (cached.isPresent()) {
            log.info("Using cached Flux v" + plain + " manifests " + cache.path(name) + " (SHA-256 verified)");
            return fromTarball(cached.get(), "Flux v" + plain + " manifests (cached)");
        }
        log.info("Downloading Flux v" + plain + " manifests from " + base);
        byte[] archive = download(URI.create(base + "manifests.tar.gz"), timeout);
        verify(archive, expected, base + "manifests.tar.gz");
        ManifestFiles files = fromTarball(archive, "Flux v" + plain + " manifests");
        cache.store(name, archive);
        return files;
    }

    private static String publishedChecksum(String base, String plain, Duration timeout) throws IOException {
        String checksums = new String(
                download(URI.create(base + "flux_" + plain + "_checksums.txt"), timeout), StandardCharsets.UTF_8);
        return checksums
                .lines()
                .map(String::trim)
                .filter(l -> l.endsWith(" manifests.tar.gz"))
                .map(l -> l.split("\\s+")[0].toLowerCase(java.util.Locale.ROOT))
                .findFirst()
                .orElseThrow(() -> new RemoteOperationException(
                        "The checksums of Flux v" + plain + " do not list manifests.tar.gz.",
                        "Use a manifests source with a SHA-256 you trust (a tarball or URL with its checksum)."));
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void verify(byte[] archive, String expectedHex, String what) {
        String actual = sha256Hex(archive);
        if (!actual.equals(expectedHex)) {
            throw new RemoteOperationException(
                    "The SHA-256 of " + what + " is " + actual + ", but " + expectedHex + " was expected."
                            + " The download is corrupt or not the published file.",
                    "Retry; if it persists, check the mirror or proxy serving the file.");
        }
    }

    private static byte[] download(URI url, Duration timeout) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        try {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new RemoteOperationException(
                        "Downloading " + url + " answered HTTP " + response.statusCode() + ".",
                        response.statusCode() == 404
                                ? "Check the Flux version and the releases URL."
                                : "Retry; for private networks use a manifests mirror, directory or tarball.");
            }
            if (response.body().length > MAX_ARCHIVE) {
                throw new RemoteOperationException(
                        url + " is larger than " + (MAX_ARCHIVE >> 20) + " MiB; that is not a manifests archive.",
                        "Check the URL.");
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new RemoteOperationException(
                    "Downloading " + url + " failed: " + FileFailure.describe(e) + ".",
                    "Check network access; for private VPCs and air-gapped clusters give a manifests directory,"
                            + " tarball or mirror URL.");
        }
    }

    static ManifestFiles fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(
                    "The manifests directory " + dir + " does not exist.",
                    "Give a directory holding the release's source-controller.yaml, kustomize-controller.yaml, ...");
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return new ManifestFiles(files, "manifests directory " + dir);
    }

    static ManifestFiles fromTarball(byte[] archive, String origin) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = Path.of(entry.getName()).getFileName().toString();
                if (entry.isFile() && name.endsWith(".yaml")) {
                    files.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    origin + " is not a gzip-compressed tar archive (" + e.getMessage() + ").",
                    "Give the release's manifests.tar.gz.");
        }
        return new ManifestFiles(files, origin);
    }
}
