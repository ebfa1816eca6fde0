package io.jenkins.plugins.fluxcodecommit.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.aws.AwsKeys;
import io.jenkins.plugins.fluxcodecommit.aws.AwsSettings;
import io.jenkins.plugins.fluxcodecommit.codecommit.CodeCommitUrl;
import io.jenkins.plugins.fluxcodecommit.error.AccessDeniedException;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.git.GitAccess;
import io.jenkins.plugins.fluxcodecommit.git.GitAuth;
import io.jenkins.plugins.fluxcodecommit.secret.Secret;
import io.jenkins.plugins.fluxcodecommit.testing.Clusters;
import io.jenkins.plugins.fluxcodecommit.testing.CodeCommitHttpsServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTPS Git credentials (IAM service-specific credentials for CodeCommit), as Argo CD uses them.
 * moto has no service-specific credential API, so IAM is played by {@link ServiceCredentials},
 * which keeps IAM's rules (two per user, a password shown once, reset in place), and the HTTPS
 * Git server admits exactly the active credentials it holds.
 */
class GitCredentialRotationTest extends RotationFixture {
    @RegisterExtension
    static final CodeCommitHttpsServer HTTPS = new CodeCommitHttpsServer("us-east-1");

    static final ServiceCredentials IAM = new ServiceCredentials();

    /** IAM's service-specific credentials for codecommit.amazonaws.com, with its quota of two per user. */
    static final class ServiceCredentials implements IamCredentials {
        record Slot(String id, String gitUser, String password, boolean active, Instant created) {}

        final Map<String, List<Slot>> users = new ConcurrentHashMap<>();

        boolean admits(String gitUser, String password) {
            return users.values().stream()
                    .flatMap(List::stream)
                    .anyMatch(s -> s.gitUser().equals(gitUser) && s.password().equals(password) && s.active());
        }

        @Override
        public synchronized List<IamCredential> list(String user, CredentialKind kind) {
            return users.getOrDefault(user, List.of()).stream()
                    .map(s -> new IamCredential(s.id(), s.active(), s.created(), null, s.gitUser()))
                    .toList();
        }

        @Override
        public synchronized NewCredential create(String user, CredentialKind kind) {
            List<Slot> slots = users.computeIfAbsent(user, u -> new ArrayList<>());
            if (slots.size() >= 2) {
                throw new InvalidInputException(
                        "iam:CreateServiceSpecificCredential for " + user + " hit IAM's quota", "remove an unused one");
            }
            String gitUser = user + (slots.isEmpty() ? "" : "+" + slots.size()) + "-at-123456789012";
            Slot slot = new Slot(
                    "ACCA"
                            + UUID.randomUUID()
                                    .toString()
                                    .replace("-", "")
                                    .substring(0, 16)
                                    .toUpperCase(),
                    gitUser,
                    UUID.randomUUID() + "=",
                    true,
                    Instant.now());
            slots.add(slot);
            return new NewCredential(kind, user, slot.id(), Secret.of(slot.password()), null, gitUser);
        }

        @Override
        public synchronized NewCredential reset(String user, CredentialKind kind, String id) {
            List<Slot> slots = users.get(user);
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).id().equals(id)) {
                    Slot reset = new Slot(
                            id,
                            slots.get(i).gitUser(),
                            UUID.randomUUID() + "=",
                            true,
                            slots.get(i).created());
                    slots.set(i, reset);
                    return new NewCredential(kind, user, id, Secret.of(reset.password()), null, reset.gitUser());
                }
            }
            throw new InvalidInputException("no such credential " + id, "check the id");
        }

        @Override
        public synchronized void setActive(String user, CredentialKind kind, String id, boolean active) {
            users.get(user)
                    .replaceAll(s ->
                            s.id().equals(id) ? new Slot(s.id(), s.gitUser(), s.password(), active, s.created()) : s);
        }

        @Override
        public synchronized void delete(String user, CredentialKind kind, String id) {
            users.get(user).removeIf(s -> s.id().equals(id));
        }

        /** Moves every slot's creation date of the user back by that many days. */
        synchronized void backdate(String user, int days) {
            users.get(user)
                    .replaceAll(s -> new Slot(
                            s.id(),
                            s.gitUser(),
                            s.password(),
                            s.active(),
                            s.created().minus(Duration.ofDays(days))));
        }
    }

    /** Namespace {@code ns} with an Argo CD repository secret repo-fleet holding the credential; returns ns. */
    static String argoSecret(String ns, String url, NewCredential credential) {
        Clusters.namespace(k8s(), ns);
        k8s().secrets()
                .inNamespace(ns)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("repo-fleet")
                        .endMetadata()
                        .addToStringData("type", "git")
                        .addToStringData("url", url)
                        .addToStringData("username", credential.gitUserName())
                        .addToStringData("password", credential.secret().reveal())
                        .build())
                .create();
        return ns;
    }

    RotationRequest argoRequest(String ns, String user) {
        return argoRequest(ns, user, true, null);
    }

    RotationRequest argoRequest(String ns, String user, boolean force, Duration maxAge) {
        return new RotationRequest(
                ns,
                CredentialKind.HTTPS_GIT_CREDENTIAL,
                user,
                AwsKeys.of("AKIAADMINADMINADMIN1", "admin"),
                "us-east-1",
                CLUSTER.target(),
                List.of(new RotationTarget.ArgoRepository(ns, "repo-fleet")),
                null,
                maxAge,
                force,
                false,
                null,
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                AwsSettings.defaults().withIamEndpoint(MOTO.endpoint()).withStsEndpoint(MOTO.endpoint()),
                Duration.ZERO);
    }

    RotationResult rotateWithDouble(RotationRequest request) {
        return new Rotation(request, Map.of(), Clock.systemUTC(), real -> IAM).call(log::add, CredentialSink.none());
    }

    static void fetches(String url, String user, String password) {
        try (GitAccess git = GitAccess.builder(CodeCommitUrl.parse(url), new GitAuth.Basic(user, Secret.of(password)))
                .open()) {
            git.lsRemote();
        }
    }

    @Test
    void argoCdCredentialsAlternateBetweenTheTwoSlotsAndNeverResetTheOneInUse() throws Exception {
        HTTPS.acceptGitCredentials(IAM::admits);
        String url = HTTPS.createRepository(unique("argo-https"));
        String user = unique("argo-git-user");
        NewCredential first = IAM.create(user, CredentialKind.HTTPS_GIT_CREDENTIAL);
        String ns = argoSecret(unique("argocd-https"), url, first);

        RotationResult one = rotateWithDouble(argoRequest(ns, user));
        Map<String, String> after = secretData(ns, "repo-fleet");
        assertThat(one.oldId()).isEqualTo(first.id());
        assertThat(after.get("username")).isEqualTo(user + "+1-at-123456789012");
        fetches(url, after.get("username"), after.get("password"));
        assertThatThrownBy(
                        () -> fetches(url, first.gitUserName(), first.secret().reveal()))
                .as("the old credential is inactive")
                .isInstanceOf(AccessDeniedException.class);

        // Both slots are taken now: the next rotation resets the inactive one, not the one in use.
        RotationResult two = rotateWithDouble(argoRequest(ns, user));
        Map<String, String> again = secretData(ns, "repo-fleet");
        assertThat(two.newId()).isEqualTo(first.id());
        assertThat(again.get("username")).isEqualTo(first.gitUserName());
        assertThat(again.get("password")).isNotEqualTo(first.secret().reveal());
        fetches(url, again.get("username"), again.get("password"));
        assertThat(IAM.list(user, CredentialKind.HTTPS_GIT_CREDENTIAL))
                .hasSize(2)
                .filteredOn(IamCredential::active)
                .extracting(IamCredential::id)
                .containsExactly(first.id());
        assertThat(log).anyMatch(m -> m.contains("Reusing the slot of " + first.id()));
    }

    /**
     * A reset slot keeps IAM's creation date: the age that counts is that of the rotation that reset
     * it, so a scheduled run with a maximum age settles instead of rotating every time.
     */
    @Test
    void aResetSlotIsNotDueAgainUntilTheMaximumAgeHasPassedSinceItsReset() throws Exception {
        HTTPS.acceptGitCredentials(IAM::admits);
        String url = HTTPS.createRepository(unique("argo-age"));
        String user = unique("argo-age-user");
        NewCredential first = IAM.create(user, CredentialKind.HTTPS_GIT_CREDENTIAL);
        String ns = argoSecret(unique("argocd-age"), url, first);
        rotateWithDouble(argoRequest(ns, user));
        // Both slots taken, both made over a year ago: the next due run resets the first slot in place.
        IAM.backdate(user, 400);
        k8s().secrets().inNamespace(ns).withName("repo-fleet").edit(s -> {
            s.getMetadata()
                    .getAnnotations()
                    .put(
                            Rotation.ROTATED,
                            Instant.now().minus(Duration.ofDays(400)).toString());
            return s;
        });
        RotationResult reset = rotateWithDouble(argoRequest(ns, user, false, Duration.ofDays(365)));
        assertThat(reset.outcome()).isEqualTo(RotationResult.Outcome.ROTATED);
        assertThat(reset.newId()).isEqualTo(first.id());

        RotationResult next = rotateWithDouble(argoRequest(ns, user, false, Duration.ofDays(365)));
        assertThat(next.outcome())
                .as("the slot was reset just now, though IAM dates it 400 days back")
                .isEqualTo(RotationResult.Outcome.NOT_DUE);
        assertThat(secretData(ns, "repo-fleet").get("username")).isEqualTo(first.gitUserName());
    }
}
