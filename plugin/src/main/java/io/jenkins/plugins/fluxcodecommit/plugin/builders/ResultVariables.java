package io.jenkins.plugins.fluxcodecommit.plugin.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Run;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A freestyle build step's result for the steps after it, as environment variables
 * ({@code FLUX_CODECOMMIT_OUTCOME}, {@code _COMMIT}, {@code _REVISION}, {@code _OLD_ID},
 * {@code _NEW_ID}). Holds IDs and revisions only, never a secret, since it is saved with the build.
 */
public final class ResultVariables implements EnvironmentContributingAction {
    private final LinkedHashMap<String, String> variables = new LinkedHashMap<>();

    ResultVariables(Map<String, Object> result) {
        put("OUTCOME", result.get("outcome"));
        put("COMMIT", result.get("commit"));
        put("REVISION", result.get("revision"));
        put("OLD_ID", result.get("oldId"));
        put("NEW_ID", result.get("newId"));
    }

    private void put(String name, Object value) {
        if (value != null) {
            variables.put("FLUX_CODECOMMIT_" + name, value.toString());
        }
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        env.putAll(variables);
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
