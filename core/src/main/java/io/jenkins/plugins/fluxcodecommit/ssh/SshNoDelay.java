package io.jenkins.plugins.fluxcodecommit.ssh;

/**
 * TCP_NODELAY for the SSH connections of a process this product owns (the command line).
 *
 * <p>Apache MINA SSHD leaves Nagle's algorithm on. The Git protocol over SSH is a conversation of
 * small packets (key exchange, authentication, the channel request, the ref advertisement and the
 * wants), and with Nagle on, each small write that follows another waits for the peer's delayed
 * acknowledgement: about 40 ms a time on Linux, and a clone had three or four such stalls. Go,
 * and so the flux CLI and Flux's controllers, turn Nagle off on every TCP connection.
 *
 * <p>JGit builds its MINA client internally, so the setting can only be given as MINA's
 * JVM-wide default (the system property {@value #PROPERTY}). The command line sets it for its own
 * JVM; the engine never does so inside a JVM it does not own (a Jenkins agent), where an
 * administrator may set the property on the agent's command line.
 */
public final class SshNoDelay {
    /** MINA's system property for its {@code tcp-nodelay} default. */
    public static final String PROPERTY = "org.apache.sshd.config.tcp-nodelay";

    private SshNoDelay() {}

    /** Turns Nagle off for this JVM's MINA connections, unless the property is set already. */
    public static void defaultForThisProcess() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
