package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The help as a user reads it in an 80-column terminal, and the version. */
class HelpTextTest {
    private static final Pattern URL = Pattern.compile("[A-Za-z][\\w+.:-]*://[^\\s,;()'\"…]*[^\\s,;()'\".…]");

    @ParameterizedTest
    @ValueSource(strings = {"check", "bootstrap", "rotate"})
    void noLineOfHelpBreaksInsideAUrl(String command) {
        String help = run("help", command).out();
        List<String> lines = help.lines().toList();

        assertThat(urlsOf(command))
                .allSatisfy(url -> assertThat(lines)
                        .as("the help of %s shows %s on one line:%n%s", command, url, help)
                        .anySatisfy(line -> assertThat(line).contains(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "bootstrap", "rotate"})
    void examplesAndTargetsAreShownAsWrittenWithoutWrapping(String command) {
        String help = run("help", command).out();
        CommandSpec spec = spec(command);
        assertThat(spec.usageMessage().footer())
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80))
                .allSatisfy(line -> assertThat(help).contains(line.stripTrailing()));
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        String version = System.getProperty("project.version");
        assertThat(version).as("surefire passes project.version").isNotBlank();
        assertThat(run("--version").out().strip()).isEqualTo("flux-codecommit " + version);
        assertThat(run("check", "--version").out().strip()).isEqualTo("flux-codecommit " + version);
    }

    @Test
    void timeoutHelpSaysWhatItBounds() {
        String help = String.join(
                " ", run("help", "bootstrap").out().lines().map(String::strip).toList());
        assertThat(help)
                .contains("Limit for each download of release manifests, and for the wait until Flux has synced the"
                        + " commit and its controllers are ready (default: 5m).");
    }

    // Every URL the help may show: descriptions, footers and default values, as declared.
    private static List<String> urlsOf(String command) {
        CommandSpec spec = spec(command);
        List<String> texts = new ArrayList<>();
        texts.addAll(List.of(spec.usageMessage().description()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        Stream.concat(spec.options().stream(), spec.positionalParameters().stream())
                .forEach(arg -> {
                    texts.addAll(List.of(arg.description()));
                    if (arg.defaultValue() != null) {
                        texts.add(arg.defaultValue());
                    }
                });
        List<String> urls = new ArrayList<>();
        for (String text : texts) {
            Matcher m = URL.matcher(text);
            while (m.find()) {
                urls.add(m.group());
            }
        }
        return urls;
    }

    private static CommandSpec spec(String command) {
        return new CommandLine(new Main()).getSubcommands().get(command).getCommandSpec();
    }

    private record Output(int code, String out, String err) {}

    private static Output run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        return new Output(code, out.toString(), err.toString());
    }
}
