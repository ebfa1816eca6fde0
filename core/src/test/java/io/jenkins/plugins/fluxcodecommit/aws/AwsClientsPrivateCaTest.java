package io.jenkins.plugins.fluxcodecommit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.RemoteOperationException;
import io.jenkins.plugins.fluxcodecommit.rotation.CredentialKind;
import io.jenkins.plugins.fluxcodecommit.rotation.SdkIamCredentials;
import io.jenkins.plugins.fluxcodecommit.secret.Redactor;
import io.jenkins.plugins.fluxcodecommit.testing.MotoServer;
import io.jenkins.plugins.fluxcodecommit.testing.PrivateCa;
import io.jenkins.plugins.fluxcodecommit.testing.TlsProxy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** STS and IAM behind a TLS proxy whose CA the JVM does not trust: reached only with the CA file. */
class AwsClientsPrivateCaTest {
    private static final PrivateCa CA = new PrivateCa("Corporate Proxy CA");

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private static TlsProxy proxy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = new TlsProxy(CA, MOTO.endpoint());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static AwsSettings throughProxy() {
        return AwsSettings.defaults()
                .withStsEndpoint(proxy.endpoint())
                .withIamEndpoint(proxy.endpoint())
                .withCaFile(null);
    }

    @Test
    void stsBehindAnUntrustedProxyFailsWithAFixNamingCaFile() {
        AwsKeys keys = MOTO.createUserWithKey("sts-untrusted");
        try (AwsClients aws = new AwsClients(throughProxy(), new Redactor(), Map.of())) {
            assertThatThrownBy(() -> aws.callerIdentity(keys, "us-east-1"))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("The TLS certificate of the STS endpoint " + proxy.endpoint()
                            + " is not trusted: no CA in the JVM's trust store issued it.")
                    .hasMessageContaining("--ca-file FILE (Jenkins steps: caFile)")
                    .hasMessageNotContaining(keys.secretAccessKey().reveal());
        }
    }

    @Test
    void stsAndIamBehindTheProxyWorkWithItsCaInTheCaFile() throws Exception {
        AwsKeys keys = MOTO.createUserWithKey("sts-trusted");
        Path caFile = CA.writeCertificate(tmp.resolve("proxy-ca.pem"));
        try (AwsClients aws = new AwsClients(throughProxy().withCaFile(caFile.toString()), new Redactor(), Map.of())) {
            assertThat(aws.callerIdentity(keys, "us-east-1").arn()).endsWith(":user/sts-trusted");
            var iam = new SdkIamCredentials(aws.iam(aws.credentials(keys, "us-east-1"), "us-east-1"), new Redactor());
            assertThat(iam.list("sts-trusted", CredentialKind.ACCESS_KEY))
                    .extracting(c -> c.id())
                    .containsExactly(keys.accessKeyId());
        }
    }

    @Test
    void iamBehindAnUntrustedProxyNamesTheEndpointAndCaFile() {
        AwsKeys keys = MOTO.createUserWithKey("iam-untrusted");
        try (AwsClients aws = new AwsClients(throughProxy(), new Redactor(), Map.of())) {
            var iam = new SdkIamCredentials(aws.iam(aws.credentials(keys, "us-east-1"), "us-east-1"), new Redactor());
            assertThatThrownBy(() -> iam.list("iam-untrusted", CredentialKind.ACCESS_KEY))
                    .isInstanceOf(RemoteOperationException.class)
                    .hasMessageContaining("The TLS certificate of the IAM endpoint " + proxy.endpoint())
                    .hasMessageContaining("--ca-file");
        }
    }
}
