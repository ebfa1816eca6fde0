package io.jenkins.plugins.fluxcodecommit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Everything a refused command must leave as it was: the refs of every repository on the test
 * Git servers, every object in the cluster (by resource version), and every IAM user's access
 * keys and SSH keys with their status. Two snapshots are equal when nothing changed.
 *
 * <p>The cluster is read through discovery, so an object of any kind counts; leases and events,
 * which the API server writes on its own, do not.
 */
record WorldSnapshot(TreeMap<String, String> entries) {
    private static final Set<String> SELF_WRITTEN = Set.of("leases", "events");
    private static final ObjectMapper JSON = new ObjectMapper();

    static WorldSnapshot take(List<Supplier<Repository>> repositories, KubernetesClient kube, IamClient iam) {
        TreeMap<String, String> entries = new TreeMap<>();
        repositories(repositories, entries);
        cluster(kube, entries);
        iam(iam, entries);
        return new WorldSnapshot(entries);
    }

    private static void repositories(List<Supplier<Repository>> repositories, TreeMap<String, String> entries) {
        for (Supplier<Repository> opener : repositories) {
            try (Repository repo = opener.get()) {
                String name = repo.getDirectory().toString();
                for (Ref ref : repo.getRefDatabase().getRefs()) {
                    entries.put("git " + name + " " + ref.getName(), String.valueOf(ref.getObjectId()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void cluster(KubernetesClient kube, TreeMap<String, String> entries) {
        for (String groupVersion : groupVersions(kube)) {
            String prefix = groupVersion.equals("v1") ? "/api/v1" : "/apis/" + groupVersion;
            for (JsonNode resource : read(kube, prefix).path("resources")) {
                String name = resource.path("name").asText();
                boolean listable = false;
                for (JsonNode verb : resource.path("verbs")) {
                    listable |= verb.asText().equals("list");
                }
                if (!listable || name.contains("/") || SELF_WRITTEN.contains(name)) {
                    continue;
                }
                for (JsonNode item : read(kube, prefix + "/" + name).path("items")) {
                    JsonNode meta = item.path("metadata");
                    entries.put(
                            "kube " + groupVersion + " " + name + " "
                                    + meta.path("namespace").asText("-") + "/"
                                    + meta.path("name").asText(),
                            meta.path("resourceVersion").asText());
                }
            }
        }
    }

    private static List<String> groupVersions(KubernetesClient kube) {
        List<String> out = new java.util.ArrayList<>(List.of("v1"));
        for (JsonNode group : read(kube, "/apis").path("groups")) {
            out.add(group.path("preferredVersion").path("groupVersion").asText());
        }
        return out;
    }

    private static JsonNode read(KubernetesClient kube, String path) {
        try {
            return JSON.readTree(kube.raw(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void iam(IamClient iam, TreeMap<String, String> entries) {
        iam.listUsersPaginator().users().forEach(user -> {
            String u = user.userName();
            entries.put("iam user " + u, user.userId());
            iam.listAccessKeys(b -> b.userName(u))
                    .accessKeyMetadata()
                    .forEach(k -> entries.put("iam access-key " + u + " " + k.accessKeyId(), k.statusAsString()));
            iam.listSSHPublicKeys(b -> b.userName(u))
                    .sshPublicKeys()
                    .forEach(k -> entries.put("iam ssh-key " + u + " " + k.sshPublicKeyId(), k.statusAsString()));
        });
    }

    /** What differs from {@code before}, one line per entry, for the failure message. */
    String changesSince(WorldSnapshot before) {
        StringBuilder out = new StringBuilder();
        Set<String> keys = new java.util.TreeSet<>(before.entries.keySet());
        keys.addAll(entries.keySet());
        for (String key : keys) {
            String was = before.entries.get(key);
            String now = entries.get(key);
            if (!java.util.Objects.equals(was, now)) {
                out.append(key)
                        .append(": ")
                        .append(was)
                        .append(" -> ")
                        .append(now)
                        .append('\n');
            }
        }
        return out.toString();
    }
}
