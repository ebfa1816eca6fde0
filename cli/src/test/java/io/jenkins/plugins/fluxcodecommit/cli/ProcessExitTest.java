package io.jenkins.plugins.fluxcodecommit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessExitTest {
    @Test
    void anIdleHttpClientsSelectorThreadEndsBeforeTheExit() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(selectors()).isNotEmpty().allMatch(Thread::isAlive);

            ProcessExit.wakeIdleHttpClientSelectors();

            assertThat(selectors()).isEmpty();
            // Still reachable: its selector ended because it was woken, not because the client was collected.
            java.lang.ref.Reference.reachabilityFence(client);
        } finally {
            server.stop(0);
        }
    }

    private static List<Thread> selectors() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t ->
                        t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .filter(Thread::isAlive)
                .toList();
    }
}
