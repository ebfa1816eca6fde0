package io.jenkins.plugins.fluxcodecommit.plugin.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;
import io.jenkins.plugins.fluxcodecommit.rotation.RotationTarget;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Where a rotated credential goes in the cluster: {@code fluxSource()}, {@code argoRepository(...)}
 * or {@code kubernetesSecret(...)} in a Pipeline's {@code targets: [...]}. The first target holds
 * the rotation's state.
 */
public abstract class RotationTargetSpec implements Describable<RotationTargetSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    abstract RotationTarget toTarget();

    /** Flux's source secret and GitRepository (the {@code flux-system} ones by default). */
    public static final class FluxSource extends RotationTargetSpec {
        private static final long serialVersionUID = 1L;
        private String namespace = "flux-system";
        private String gitRepository;
        private String secretName = "flux-system";
        private String commitUrl;

        @DataBoundConstructor
        public FluxSource() {}

        public String getCommitUrl() {
            return commitUrl;
        }

        /** The repository's HTTPS URL, where an SSH rotation commits the new key ID as the rotating identity. */
        @DataBoundSetter
        public void setCommitUrl(String commitUrl) {
            this.commitUrl = Util.fixEmptyAndTrim(commitUrl);
        }

        public String getNamespace() {
            return namespace;
        }

        @DataBoundSetter
        public void setNamespace(String namespace) {
            this.namespace = Util.fixEmptyAndTrim(namespace) == null ? "flux-system" : namespace.trim();
        }

        public String getGitRepository() {
            return gitRepository;
        }

        /** The GitRepository's name; the namespace's name when empty, as flux bootstrap names it. */
        @DataBoundSetter
        public void setGitRepository(String gitRepository) {
            this.gitRepository = Util.fixEmptyAndTrim(gitRepository);
        }

        public String getSecretName() {
            return secretName;
        }

        @DataBoundSetter
        public void setSecretName(String secretName) {
            this.secretName = Util.fixEmptyAndTrim(secretName) == null ? "flux-system" : secretName.trim();
        }

        @Override
        RotationTarget toTarget() {
            return new RotationTarget.FluxSource(
                    namespace, gitRepository == null ? namespace : gitRepository, secretName, commitUrl);
        }

        @Extension
        @Symbol("fluxSource")
        public static final class DescriptorImpl extends Descriptor<RotationTargetSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.RotationTargetSpec_FluxSource_DisplayName();
            }
        }
    }

    /** An Argo CD repository secret: its {@code url} and key are written together. */
    public static final class ArgoRepository extends RotationTargetSpec {
        private static final long serialVersionUID = 1L;
        private final String secretName;
        private String namespace = "argocd";

        @DataBoundConstructor
        public ArgoRepository(String secretName) {
            this.secretName = Util.fixEmptyAndTrim(secretName);
        }

        public String getSecretName() {
            return secretName;
        }

        public String getNamespace() {
            return namespace;
        }

        @DataBoundSetter
        public void setNamespace(String namespace) {
            this.namespace = Util.fixEmptyAndTrim(namespace) == null ? "argocd" : namespace.trim();
        }

        @Override
        RotationTarget toTarget() {
            if (secretName == null) {
                throw new InvalidInputException(
                        "argoRepository needs secretName.", "Give the name of the Argo CD repository secret.");
            }
            return new RotationTarget.ArgoRepository(namespace, secretName);
        }

        @Extension
        @Symbol("argoRepository")
        public static final class DescriptorImpl extends Descriptor<RotationTargetSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.RotationTargetSpec_ArgoRepository_DisplayName();
            }
        }
    }

    /**
     * Any secret: {@code keys} maps the credential's fields to the secret's keys, one
     * {@code field=key} per line or comma-separated (fields: {@code accessKeyId},
     * {@code secretAccessKey}; {@code sshKeyId}, {@code privateKey}, {@code publicKey};
     * {@code username}, {@code password}); {@code constants} are {@code key=value} pairs written as
     * they are.
     */
    public static final class KubernetesSecret extends RotationTargetSpec {
        private static final long serialVersionUID = 1L;
        private final String namespace;
        private final String name;
        private final String keys;
        private String constants;
        private String restart;

        @DataBoundConstructor
        public KubernetesSecret(String namespace, String name, String keys) {
            this.namespace = Util.fixEmptyAndTrim(namespace);
            this.name = Util.fixEmptyAndTrim(name);
            this.keys = Util.fixEmptyAndTrim(keys);
        }

        public String getNamespace() {
            return namespace;
        }

        public String getName() {
            return name;
        }

        public String getKeys() {
            return keys;
        }

        public String getConstants() {
            return constants;
        }

        @DataBoundSetter
        public void setConstants(String constants) {
            this.constants = Util.fixEmptyAndTrim(constants);
        }

        public String getRestart() {
            return restart;
        }

        /** Deployments in the secret's namespace that read it at start-up, separated by commas or lines. */
        @DataBoundSetter
        public void setRestart(String restart) {
            this.restart = Util.fixEmptyAndTrim(restart);
        }

        @Override
        RotationTarget toTarget() {
            if (namespace == null || name == null) {
                throw new InvalidInputException(
                        "kubernetesSecret needs namespace and name.", "Give the secret's namespace and name.");
            }
            List<String> deployments = restart == null
                    ? List.of()
                    : java.util.Arrays.stream(restart.split("[,\\n]"))
                            .map(String::trim)
                            .filter(d -> !d.isEmpty())
                            .toList();
            return new RotationTarget.NamedSecret(
                    namespace, name, pairs(keys, "keys"), pairs(constants, "constants"), deployments);
        }

        static Map<String, String> pairs(String text, String what) {
            Map<String, String> out = new LinkedHashMap<>();
            if (text == null) {
                return out;
            }
            for (String pair : text.split("[,\\n]")) {
                String p = pair.trim();
                if (p.isEmpty()) {
                    continue;
                }
                String[] kv = p.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new InvalidInputException(
                            "'" + p + "' in " + what + " is not NAME=VALUE.", "Write one NAME=VALUE per line.");
                }
                out.put(kv[0].trim(), kv[1].trim());
            }
            return out;
        }

        @Extension
        @Symbol("kubernetesSecret")
        public static final class DescriptorImpl extends Descriptor<RotationTargetSpec> {
            @NonNull
            @Override
            public String getDisplayName() {
                return Messages.RotationTargetSpec_KubernetesSecret_DisplayName();
            }

            @POST
            public FormValidation doCheckKeys(@QueryParameter String value) {
                try {
                    pairs(Util.fixEmptyAndTrim(value), "keys");
                    return FormValidation.ok();
                } catch (InvalidInputException e) {
                    return FormValidation.error(e.getMessage());
                }
            }
        }
    }
}
