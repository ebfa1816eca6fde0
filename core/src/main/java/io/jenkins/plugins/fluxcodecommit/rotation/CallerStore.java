package io.jenkins.plugins.fluxcodecommit.rotation;

import io.jenkins.plugins.fluxcodecommit.error.InvalidInputException;

/**
 * The caller's own store of the credential (a Jenkins credential, a file): the last target written.
 * While it is owed the new credential (recorded in the state), the old one is not retired, whichever
 * caller resumes the rotation.
 */
final class CallerStore {
    private final CredentialSink sink;
    private final String name;

    CallerStore(CredentialSink sink) {
        this.sink = sink;
        String store = sink.store();
        this.name = store == null ? "" : store;
    }

    /** What to record as owed when the targets are written: nothing for a caller that keeps no store. */
    String owed() {
        return name;
    }

    /** Hands the new credential over, unless the store owed is another caller's: that one must resume. */
    void hand(NewCredential c, String owed, String cluster) {
        sink.accept(c);
        if (owed != null && !owed.isEmpty() && !owed.equals(name)) {
            throw new InvalidInputException(
                    "The rotation of " + cluster + " was started by a caller whose store, " + owed
                            + ", does not hold the new credential " + c.id() + " yet"
                            + (name.isEmpty() ? "" : " (this run updates " + name + ")")
                            + "; the old credential stays active.",
                    "Run the rotation again from where it was started (the same Jenkins job and credential, or the"
                            + " command with the same --write-credential), which hands it over and retires the old"
                            + " one.");
        }
    }
}
