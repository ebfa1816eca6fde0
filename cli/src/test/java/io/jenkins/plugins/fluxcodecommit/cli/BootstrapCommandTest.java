package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    }

    @Test
    void bootstrapsIntoALocalRepositoryWithoutAClusterAndListsThePlan() throws Exception {
        Path bare = tmp.resolve("fleet.git");
        Git.init()
                .setBare(true)
                .setDirectory(bare.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        int code = run(
                "bootstrap",
                "--url",
                bare.toString(),
                "--path",
                "clusters/dev",
                "--manifests",
                System.getProperty("flux.sample.manifests"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Bootstrap of " + bare + " branch main (export: nothing applied)")
                .containsPattern("commit: +[0-9a-f]{40}")
                .contains("objects to apply, in order:\n    CustomResourceDefinition/")
                .contains("    Kustomization/flux-system/flux-system\n");
        try (Git git = Git.open(bare.toFile())) {
            assertThat(git.log().call())
                    .extracting(c -> c.getShortMessage())
                    .containsExactly("Add Flux sync manifests", "Add Flux v2.9.4 component manifests");
        }

        out.getBuffer().setLength(0);
        assertThat(run(
                        "bootstrap",
                        "--url",
                        bare.toString(),
                        "--path",
                        "clusters/dev",
                        "--manifests",
                        System.getProperty("flux.sample.manifests")))
                .isZero();
        assertThat(out.toString()).contains("commits:   none").contains("nothing to do, nothing changed");
    }

    @Test
    void dryRunWritesTheFilesOnly() {
        int code = run(
                "bootstrap",
                "--dry-run",
                "--export-dir",
                tmp.resolve("out").toString(),
                "--url",
                "ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                "--private-key-file",
                writeKey().toString(),
                "--namespace",
                "gitops",
                "--path",
                "clusters/prod",
                "--manifests",
                System.getProperty("flux.sample.manifests"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(tmp.resolve("out/clusters/prod/gitops/gotk-sync.yaml")).exists();
        assertThat(out.toString()).contains("secret:    planned (keys: identity, identity.pub, known_hosts)");
    }

    @Test
    void exportReportsTheFilesItWroteNotARepositoryUpToDate() {
        int code = run(
                "bootstrap",
                "--dry-run",
                "--export-dir",
                tmp.resolve("out").toString(),
                "--url",
                "ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                "--private-key-file",
                writeKey().toString(),
                "--manifests",
                System.getProperty("flux.sample.manifests"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .doesNotContain("up to date")
                .doesNotContain("nothing to do")
                .contains("commits:   none (nothing pushed: the files are written to the directory below)")
                .contains("files in:  " + tmp.resolve("out"))
                .containsPattern("result: +files written, nothing pushed or applied in \\d+ ms");
    }

    @Test
    void anExplicitlyEmptyBranchIsAnErrorNotMain() throws Exception {
        Path bare = bareRepository();
        int code = run(
                "bootstrap",
                "--url",
                bare.toString(),
                "--branch",
                "",
                "--manifests",
                System.getProperty("flux.sample.manifests"));
        assertThat(code).as(out.toString()).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString()).contains("error: The branch name is empty.").contains("fix: ");
        try (Git git = Git.open(bare.toFile())) {
            assertThat(git.getRepository().resolve("refs/heads/main")).isNull();
        }
    }

    @Test
    void fluxBeforeTwoNineIsRefusedForHttpsWithIamBeforeAnythingIsWritten() {
        Path out = tmp.resolve("out");
        int code = run(
                "bootstrap",
                "--url",
                "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                "--flux-version",
                "2.8.0",
                "--dry-run",
                "--export-dir",
                out.toString(),
                "--manifests",
                System.getProperty("flux.sample.manifests"));
        assertThat(code).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: Flux v2.8.0 cannot fetch over HTTPS with IAM")
                .contains("v2.9.0 or later")
                .contains("fix: ")
                .contains("SSH");
        assertThat(out).doesNotExist();
    }

    @Test
    void aHotReconcileIntervalIsRefused() {
        int code = run(
                "bootstrap",
                "--url",
                "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                "--interval",
                "0s",
                "--dry-run");
        assertThat(code).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: The sync interval 0s is shorter than 10s")
                .contains("fix: ");
    }

    @Test
    void aTimeoutThatIsNotPositiveIsAnInputErrorInGoSyntax() {
        assertThat(run(
                        "bootstrap",
                        "--url",
                        "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                        "--timeout",
                        "0s",
                        "--dry-run"))
                .isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: The timeout 0s is not positive.")
                .doesNotContain("PT");
        err.getBuffer().setLength(0);
        assertThat(run(
                        "bootstrap",
                        "--url",
                        "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                        "--timeout",
                        "-1s",
                        "--dry-run"))
                .isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: '-1s' is a negative duration for --timeout.")
                .contains("fix: Give a positive duration");
        err.getBuffer().setLength(0);
        assertThat(run(
                        "bootstrap",
                        "--url",
                        "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                        "--timeout",
                        "soon",
                        "--dry-run"))
                .isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: 'soon' is not a duration for --timeout.")
                .contains("fix: ");
    }

    private Path bareRepository() throws Exception {
        Path bare = tmp.resolve("fleet.git");
        Git.init()
                .setBare(true)
                .setDirectory(bare.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        return bare;
    }

    @Test
    void badInputExitsTwoWithTheFix() {
        int code = run(
                "bootstrap",
                "--url",
                "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/fleet",
                "--interval",
                "one minute",
                "--dry-run");
        assertThat(code).isEqualTo(Main.EXIT_INPUT);
        assertThat(err.toString())
                .contains("error: 'one minute' is not a duration")
                .contains("fix: ");
    }

    @Test
    void helpReadsLikeFlux() {
        assertThat(run("bootstrap", "--help")).isZero();
        assertThat(out.toString())
                .contains("--components-extra")
                .contains("--toleration-keys")
                .contains("--eks-cluster");
    }

    private Path writeKey() {
        try {
            Path key = tmp.resolve("id_rsa");
            Files.writeString(
                    key,
                    io.jenkins.plugins.fluxcodecommit.ssh.SshKeyPair.generateRsa(2048)
                            .privateKeyPem()
                            .reveal());
            return key;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
