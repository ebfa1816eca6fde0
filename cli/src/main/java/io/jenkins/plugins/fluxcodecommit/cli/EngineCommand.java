package io.jenkins.plugins.fluxcodecommit.cli;

import io.jenkins.plugins.fluxcodecommit.aws.AwsIdentity;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command that runs an engine operation shares: identity options, environment, --debug. */
abstract class EngineCommand implements Callable<Integer>, CommonOptions.NeedsEnvironment, CommonOptions.Debuggable {
    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    @Mixin
    CommonOptions options = new CommonOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Map<String, String> environment = Map.of();

    @Override
    public void environment(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public boolean debug() {
        return debug;
    }

    /** The IAM identity for a URL: the default chain for HTTPS CodeCommit when nothing else is given. */
    AwsIdentity identityFor(String url) {
        CodeCommitUrl parsed = CodeCommitUrl.parse(url);
        boolean https = parsed.transport() == CodeCommitUrl.Transport.HTTPS
                && (parsed.isCodeCommit() || options.region != null);
        return options.identity(environment, https);
    }
}
