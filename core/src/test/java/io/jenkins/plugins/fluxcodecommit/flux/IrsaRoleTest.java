package io.jenkins.plugins.fluxcodecommit.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading and writing source-controller's IRSA role in a repository's kustomization.yaml. */
class IrsaRoleTest {
    static final String OLD = "arn:aws:iam::123456789012:role/flux-old";
    static final String NEW = "arn:aws:iam::123456789012:role/flux-new";
    static final String FILE = "clusters/prod/flux-system/kustomization.yaml";
    static final String PLAIN = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            + "resources:\n- gotk-components.yaml\n- gotk-sync.yaml\n";

    final List<String> log = new ArrayList<>();
    final ProgressListener listener = log::add;

    static String withRole(String arn) {
        return PLAIN + "patches:\n" + IrsaRole.patchItem(arn);
    }

    IrsaRole decide(String text, String requested, boolean force) {
        return IrsaRole.decide(FILE, text, path -> null, requested, force, listener);
    }

    @Test
    void withoutARoleGivenTheRoleGitHoldsStaysAndTheLogSaysSo() {
        IrsaRole role = decide(withRole(OLD), null, false);
        assertThat(role.arn()).isEqualTo(OLD);
        assertThat(role.kustomization(withRole(OLD), "unused")).isEqualTo(withRole(OLD));
        assertThat(log).anyMatch(m -> m.contains("keeps the IRSA role " + OLD) && m.contains("source of truth"));
    }

    @Test
    void anotherRoleThanGitsIsRefusedWithoutForce() {
        assertThatThrownBy(() -> decide(withRole(OLD), NEW, false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(FILE + " gives source-controller the IRSA role " + OLD + ", not " + NEW)
                .satisfies(e -> assertThat(((InvalidInputException) e).fix()).contains("force"));
    }

    @Test
    void anotherRoleWithForceReplacesItInGit() {
        IrsaRole role = decide(withRole(OLD), NEW, true);
        assertThat(role.arn()).isEqualTo(NEW);
        assertThat(role.kustomization(withRole(OLD), "unused")).isEqualTo(withRole(NEW));
    }

    @Test
    void aRoleForAFileWithoutPatchesIsAppended() {
        IrsaRole role = decide(PLAIN, NEW, false);
        assertThat(role.kustomization(PLAIN, "unused")).isEqualTo(withRole(NEW));
        assertThat(IrsaRole.rolesIn(role.kustomization(PLAIN, "unused"), FILE, p -> null))
                .containsExactly(NEW);
    }

    @Test
    void aRoleForAFileWithOtherPatchesJoinsThemAtTheirIndentation() {
        String other = PLAIN + "patches:\n  - patch: |\n      - op: add\n        path: /spec/x\n        value: y\n"
                + "    target:\n      kind: Deployment\n";
        String out = decide(other, NEW, false).kustomization(other, "unused");
        assertThat(IrsaRole.rolesIn(out, FILE, p -> null)).containsExactly(NEW);
        assertThat(Yaml.parseAll(out, FILE).get(0).path("patches")).hasSize(2);
    }

    @Test
    void rolesAreReadFromJsonPatchesAndPatchFiles() {
        String json = PLAIN + "patches:\n- patch: |\n    - op: add\n"
                + "      path: /metadata/annotations/eks.amazonaws.com~1role-arn\n      value: " + OLD + "\n"
                + "  target:\n    kind: ServiceAccount\n    name: source-controller\n";
        assertThat(IrsaRole.rolesIn(json, FILE, p -> null)).containsExactly(OLD);
        String byPath = PLAIN + "patches:\n- path: irsa.yaml\n";
        Map<String, String> files = Map.of(
                "irsa.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: source-controller\n  annotations:\n"
                        + "    eks.amazonaws.com/role-arn: " + OLD + "\n");
        assertThat(IrsaRole.rolesIn(byPath, FILE, files::get)).containsExactly(OLD);
    }

    @Test
    void aPatchOfAnotherServiceAccountIsNotSourceControllersRole() {
        String other = PLAIN + "patches:\n- patch: |\n    apiVersion: v1\n    kind: ServiceAccount\n    metadata:\n"
                + "      name: kustomize-controller\n      annotations:\n        eks.amazonaws.com/role-arn: " + OLD
                + "\n  target:\n    kind: ServiceAccount\n    name: kustomize-controller\n";
        assertThat(IrsaRole.rolesIn(other, FILE, p -> null)).isEmpty();
    }

    @Test
    void aNewRepositoryGetsTheFreshFile() {
        assertThat(decide(null, NEW, false).kustomization(null, "fresh")).isEqualTo("fresh");
    }
}
