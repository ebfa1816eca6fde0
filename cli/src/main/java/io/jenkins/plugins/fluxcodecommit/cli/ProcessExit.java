package io.jenkins.plugins.fluxcodecommit.cli;

import java.time.Duration;

/**
 * The command line's exit, without the JVM's wait for threads blocked in native code.
 *
 * <p>On exit HotSpot waits for every thread that is in native code to come back, up to 300 ms for
 * threads that are not compilers. The JDK's HTTP client, which the Kubernetes client uses, keeps
 * a selector thread in {@code epoll_wait} for as long as the client object lives, and on Java 17
 * a client cannot be shut down; so every run that talked to a cluster ended with 0.3 s of
 * waiting after its last line. By the time the command returns its exit code, each operation has
 * closed its clients: their selector threads are idle, and are woken (interrupted) so that they
 * end before the JVM exits.
 */
final class ProcessExit {
    private static final Duration WAKE_TIMEOUT = Duration.ofMillis(200);

    private ProcessExit() {}

    static void exit(int code) {
        wakeIdleHttpClientSelectors();
        System.exit(code);
    }

    /** Interrupts the JDK HTTP clients' selector threads and waits briefly for them to end. */
    static void wakeIdleHttpClientSelectors() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isDaemon() && name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                thread.interrupt();
                try {
                    thread.join(WAKE_TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
