package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.adapter.ProductVersion;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.FluxCodeCommitException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.ssh.SshNoDelay;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flux-codecommit} command line: the engine's operations outside Jenkins. */
@Command(
        name = "flux-codecommit",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "GitOps on EKS with AWS CodeCommit as the source of truth.",
        subcommands = {CheckCommand.class, BootstrapCommand.class, RotateCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code for input the user can correct. */
    public static final int EXIT_INPUT = 2;
    /** Exit code for a refused identity. */
    public static final int EXIT_ACCESS = 3;
    /** Exit code for a remote failure (network, server). */
    public static final int EXIT_REMOTE = 4;

    public static void main(String[] args) {
        // This JVM is the command line's own: its SSH connections may turn Nagle off (SshNoDelay).
        SshNoDelay.defaultForThisProcess();
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv());
        ProcessExit.exit(code);
    }

    /** Runs the command line with the given streams and environment; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        CommandLine cli = new CommandLine(new Main(), new EnvironmentFactory(environment));
        // Every command's --version (check --version too) prints the release.
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            // The same two lines as every other refused input, instead of picocli's usage dump.
            boolean top = e.getCommandLine().getCommand() instanceof Main;
            err.println("error: " + e.getMessage());
            err.println(
                    top
                            ? "fix: see 'flux-codecommit help' for the commands."
                            : "fix: see 'flux-codecommit help "
                                    + e.getCommandLine().getCommandName() + "' for its options.");
            return EXIT_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof FluxCodeCommitException user) {
                err.println("error: " + user.problem());
                if (user.fix() != null) {
                    err.println("fix: " + user.fix());
                }
                if (commandLine.getCommand() instanceof CommonOptions.Debuggable d && d.debug()) {
                    e.printStackTrace(err);
                }
                return exitCode(user);
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The exit code for an error of this class: 2 input, 3 access, 4 remote. */
    static int exitCode(FluxCodeCommitException e) {
        return e instanceof InvalidInputException
                ? EXIT_INPUT
                : e instanceof AccessDeniedException ? EXIT_ACCESS : EXIT_REMOTE;
    }

    /** Gives commands the environment they run in, instead of letting them read System.getenv(). */
    private static final class EnvironmentFactory implements CommandLine.IFactory {
        private final Map<String, String> environment;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        EnvironmentFactory(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            K created = fallback.create(type);
            if (created instanceof CommonOptions.NeedsEnvironment needs) {
                needs.environment(environment);
            }
            return created;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"flux-codecommit " + ProductVersion.current()};
        }
    }
}
