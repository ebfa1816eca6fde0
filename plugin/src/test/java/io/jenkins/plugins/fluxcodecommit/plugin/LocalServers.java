package io.jenkins.plugins.fluxcodecommit.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.EnvVars;
import hudson.model.Label;
import hudson.model.Run;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import io.jenkins.plugins.fluxcodecommit.plugin.config.FluxCodeCommitConfiguration;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jvnet.hudson.test.JenkinsRule;

/** What the plugin tests share: an agent that trusts the test TLS, credentials, canary checks. */
final class LocalServers {
    static final AtomicInteger SEQUENCE = new AtomicInteger();

    private LocalServers() {}

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    /**
     * A real agent: a separate JVM connected over a remoting channel, so requests, results, the
     * listener and the write-back proxy really cross it. It trusts the test servers' certificate.
     */
    static DumbSlave agent(JenkinsRule r, Path dir) throws Exception {
        Path trustStore = TestTls.writeTrustStore(dir.resolve("truststore.p12"));
        EnvVars env = new EnvVars(
                "JAVA_TOOL_OPTIONS",
                "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword="
                        + new String(TestTls.PASSWORD) + " -Djavax.net.ssl.trustStoreType=PKCS12");
        return r.createOnlineSlave(Label.get("agent"), env);
    }

    static void add(Credentials... credentials) throws IOException {
        SystemCredentialsProvider system = SystemCredentialsProvider.getInstance();
        for (Credentials c : credentials) {
            system.getCredentials().add(c);
        }
        system.save();
    }

    /** The AWS endpoints, an administrator's setting, pointed at moto's IAM and STS. */
    static void awsEndpoints(MotoServer moto) {
        FluxCodeCommitConfiguration config = FluxCodeCommitConfiguration.get();
        config.setIamEndpoint(moto.endpoint().toString());
        config.setStsEndpoint(moto.endpoint().toString());
    }

    static StringCredentialsImpl kubeconfig(String id, String content) {
        return new StringCredentialsImpl(CredentialsScope.GLOBAL, id, "kubeconfig", Secret.fromString(content));
    }

    /**
     * No XML file under JENKINS_HOME (configuration, credentials, jobs, builds, program state)
     * holds any of the secrets in clear: what is stored is encrypted or absent.
     */
    static void assertNoSecretUnderJenkinsHome(JenkinsRule r, List<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(r.jenkins.getRootDir().toPath())) {
            for (Path f : files.filter(
                            p -> Files.isRegularFile(p) && p.toString().endsWith(".xml"))
                    .toList()) {
                String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s holds a secret", f).doesNotContain(secret);
                }
            }
        }
    }

    /** No file of the build (log, program state, step arguments, actions) holds any of the secrets. */
    static void assertNoSecretInBuildFiles(Run<?, ?> run, List<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(run.getRootDir().toPath())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s holds a secret", f).doesNotContain(secret);
                }
            }
        }
    }
}
