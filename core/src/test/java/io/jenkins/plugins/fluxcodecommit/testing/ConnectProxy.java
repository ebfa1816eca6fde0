package io.jenkins.plugins.fluxcodecommit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on loopback that answers {@code CONNECT host:port} by tunnelling to the local
 * server mapped to that name: how a test reaches "git-codecommit.REGION.amazonaws.com" (the host
 * name Flux's {@code provider: aws} insists on) without touching the machine's DNS. Both the
 * engine and the real source-controller reach it through {@code HTTPS_PROXY}, as through a
 * corporate proxy. It records every host asked for; a host it does not map is refused (502).
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Map<String, Integer> routes = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    public ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "connect-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** Tunnels CONNECTs to {@code hostAndPort} to the loopback port. */
    public ConnectProxy route(String hostAndPort, int localPort) {
        routes.put(hostAndPort, localPort);
        return this;
    }

    /** The value for HTTPS_PROXY. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public List<String> requested() {
        return List.copyOf(requested);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] first = head.lines().findFirst().orElse("").split(" ");
            OutputStream out = client.getOutputStream();
            Integer port = first.length >= 2 && first[0].equals("CONNECT") ? routes.get(first[1]) : null;
            requested.add(first.length >= 2 ? first[1] : head);
            if (port == null) {
                out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
                out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = new Thread(() -> copy(upstream, client), "connect-proxy-back");
                back.setDaemon(true);
                back.start();
                copy(client, upstream);
                back.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // the tunnel ends with either side
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
