package io.jenkins.plugins.fluxcodecommit.rotation;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** A place in a cluster that holds the credential being rotated. Plain data. */
public sealed interface RotationTarget extends Serializable {
    String namespace();

    /** The Kubernetes secret that holds the credential. */
    String secretName();

    String describe();

    /**
     * Flux's source: the GitRepository and the secret it references ({@code identity},
     * {@code identity.pub}, {@code known_hosts}). For SSH keys the key ID in the GitRepository URL
     * changes too, in the cluster and in the repository's {@code gotk-sync.yaml}.
     */
    record FluxSource(String namespace, String gitRepository, String secretName, String commitUrl)
            implements RotationTarget {
        /**
         * @param commitUrl the repository's HTTPS URL, where an SSH rotation commits the new key ID with the
         *     rotating IAM identity; {@code null} derives it from a CodeCommit URL, and for other hosts
         *     commits over SSH with the new key
         */
        public FluxSource {}

        public FluxSource(String namespace, String gitRepository, String secretName) {
            this(namespace, gitRepository, secretName, null);
        }

        public static FluxSource defaults() {
            return new FluxSource("flux-system", "flux-system", "flux-system");
        }

        /** The same source, committing over this HTTPS URL. */
        public FluxSource withCommitUrl(String url) {
            return new FluxSource(namespace, gitRepository, secretName, url);
        }

        @Override
        public String describe() {
            return "Flux GitRepository " + namespace + "/" + gitRepository + " (secret " + secretName + ")";
        }
    }

    /** An Argo CD repository secret ({@code url}, {@code sshPrivateKey}); its URL's user changes with the key. */
    record ArgoRepository(String namespace, String secretName) implements RotationTarget {
        @Override
        public String describe() {
            return "Argo CD repository secret " + namespace + "/" + secretName;
        }
    }

    /**
     * Any secret, with the key names to write: for access keys {@code accessKeyId} and
     * {@code secretAccessKey}; for SSH keys {@code sshKeyId}, {@code privateKey}, {@code publicKey}.
     * Constants (such as {@code region}) are written as given.
     *
     * @param restart Deployments in the secret's namespace that read it at start-up: restarted after the
     *     write, and Ready again, they are the evidence that the new credential works
     */
    record NamedSecret(
            String namespace,
            String secretName,
            Map<String, String> keys,
            Map<String, String> constants,
            List<String> restart)
            implements RotationTarget {
        /** The fields a named secret can map to its keys. */
        public static final List<String> FIELDS = List.of(
                "accessKeyId", "secretAccessKey", "sshKeyId", "privateKey", "publicKey", "username", "password");

        /** The fields a credential of this kind needs a key for. */
        public static List<String> required(CredentialKind kind) {
            return switch (kind) {
                case ACCESS_KEY -> List.of("accessKeyId", "secretAccessKey");
                case SSH_KEY -> List.of("sshKeyId", "privateKey");
                case HTTPS_GIT_CREDENTIAL -> List.of("username", "password");
            };
        }

        public NamedSecret {
            keys = Map.copyOf(keys);
            constants = constants == null ? Map.of() : Map.copyOf(constants);
            restart = restart == null ? List.of() : List.copyOf(restart);
        }

        public NamedSecret(
                String namespace, String secretName, Map<String, String> keys, Map<String, String> constants) {
            this(namespace, secretName, keys, constants, List.of());
        }

        /** The same secret, restarting these Deployments after the write. */
        public NamedSecret withRestart(List<String> deployments) {
            return new NamedSecret(namespace, secretName, keys, constants, deployments);
        }

        @Override
        public String describe() {
            return "secret " + namespace + "/" + secretName;
        }
    }
}
