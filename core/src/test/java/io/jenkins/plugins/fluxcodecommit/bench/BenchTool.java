package io.jenkins.plugins.fluxcodecommit.bench;

import io.jenkins.plugins.fluxcodecommit.bench.BenchSite.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool the side-by-side benchmark runs: its command lines for the same bootstrap (the same
 * namespace, path, branch, components and install manifests) and for an export without a
 * cluster, and how its output shows the waits for the controllers.
 */
interface BenchTool {
    String COMPONENTS = "source-controller,kustomize-controller";
    String PATH = "clusters/bench";

    String name();

    List<String> bootstrap(BenchSite site, Transport transport, String url, String namespace);

    /** The install manifests without a cluster: {@code target} is a local bare repository or a file. */
    List<String> export(Path target, String namespace);

    /** Whether {@link #export} writes to standard output (into {@code target}). */
    boolean exportsToStdout();

    ToolRun.Waits waits();

    /** What the tool's process gets on top of the site's environment for this transport. */
    default Map<String, String> environment(Transport transport) {
        return Map.of();
    }

    /**
     * The real flux CLI, built from its Go module with the same install manifests embedded
     * (scripts/ensure-flux-cli.sh). Over HTTPS to a CodeCommit host it signs its own Git
     * credentials from the AWS credential chain and writes {@code provider: aws}, as this project
     * does: it is given the operator's keys in its environment.
     */
    record FluxCli(Path binary) implements BenchTool {
        @Override
        public String name() {
            return "flux";
        }

        @Override
        public List<String> bootstrap(BenchSite site, Transport transport, String url, String namespace) {
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "bootstrap",
                    "git",
                    "--url=" + url,
                    "--silent",
                    "--namespace=" + namespace,
                    "--path=" + PATH,
                    "--branch=main",
                    "--components=" + COMPONENTS,
                    "--kubeconfig=" + site.kubeconfig,
                    "--timeout=2m"));
            if (transport == Transport.SSH) {
                command.add("--private-key-file=" + site.privateKey);
            } else {
                command.add("--ca-file=" + site.caFile);
            }
            return command;
        }

        @Override
        public Map<String, String> environment(Transport transport) {
            return transport == Transport.SSH
                    ? Map.of()
                    : Map.of(
                            "AWS_ACCESS_KEY_ID", BenchSite.OPERATOR.accessKeyId(),
                            "AWS_SECRET_ACCESS_KEY",
                                    BenchSite.OPERATOR.secretAccessKey().reveal(),
                            "AWS_REGION", "us-east-1");
        }

        @Override
        public List<String> export(Path target, String namespace) {
            return List.of(
                    binary.toString(), "install", "--export", "--components=" + COMPONENTS, "--namespace=" + namespace);
        }

        @Override
        public boolean exportsToStdout() {
            return true;
        }

        @Override
        public ToolRun.Waits waits() {
            return new ToolRun.Waits(
                    l -> l.contains("waiting for GitRepository")
                            || l.contains("waiting for Kustomization")
                            || l.contains("confirming components are healthy"),
                    l -> false);
        }
    }

    /**
     * This project's command line, run as users run it: {@code bin/flux-codecommit}, with Flux's
     * install manifests from the directory they were generated into.
     */
    record FluxCodeCommit(Path launcher, Path manifests) implements BenchTool {
        @Override
        public String name() {
            return "flux-codecommit";
        }

        @Override
        public List<String> bootstrap(BenchSite site, Transport transport, String url, String namespace) {
            List<String> command = export(url, namespace);
            command.addAll(List.of("--kubeconfig", site.kubeconfig.toString(), "--timeout", "2m"));
            if (transport == Transport.SSH) {
                command.addAll(List.of("--private-key-file", site.privateKey.toString(), "--accept-new-host-key"));
            } else {
                command.addAll(List.of(
                        "--access-key-id",
                        BenchSite.OPERATOR.accessKeyId(),
                        "--secret-access-key-file",
                        site.operatorSecretFile.toString(),
                        "--region",
                        "us-east-1",
                        "--ca-file",
                        site.caFile.toString()));
            }
            return command;
        }

        @Override
        public List<String> export(Path target, String namespace) {
            return export(target.toString(), namespace);
        }

        /** The arguments every run of it shares; without a cluster, an export into {@code url}. */
        private List<String> export(String url, String namespace) {
            return new ArrayList<>(List.of(
                    launcher.toString(),
                    "bootstrap",
                    "--url",
                    url,
                    "--namespace",
                    namespace,
                    "--path",
                    PATH,
                    "--components",
                    COMPONENTS,
                    "--manifests",
                    manifests.toString()));
        }

        @Override
        public boolean exportsToStdout() {
            return false;
        }

        @Override
        public ToolRun.Waits waits() {
            return new ToolRun.Waits(l -> l.contains("Waiting for Flux to sync"), l -> l.contains(" reconciled "));
        }
    }
}
