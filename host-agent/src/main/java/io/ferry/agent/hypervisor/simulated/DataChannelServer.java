package io.ferry.agent.hypervisor.simulated;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The destination's data port: one listener, one virtual thread per incoming migration connection. */
final class DataChannelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataChannelServer.class);
    private final ServerSocket server;
    private final String advertisedHost;
    private final Map<String, IncomingMigration> expected = new ConcurrentHashMap<>();

    DataChannelServer(String bindHost, int port, String advertisedHost) {
        try {
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the data port " + bindHost + ":" + port + ": " + e.getMessage()
                    + " (set ferry.agent.data-port to a free port, or 0 for any)", e);
        }
        this.advertisedHost = advertisedHost;
        Thread.ofVirtual().name("data-channel-accept").start(this::acceptLoop);
    }

    String address() {
        return advertisedHost + ":" + server.getLocalPort();
    }

    void expect(IncomingMigration incoming) {
        expected.put(incoming.migrationId, incoming);
    }

    void forget(String migrationId) {
        IncomingMigration incoming = expected.remove(migrationId);
        if (incoming != null) {
            incoming.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().name("data-channel-" + socket.getRemoteSocketAddress()).start(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("data channel accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setReceiveBufferSize(4 << 20);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 20));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            if (in.readByte() != Frames.HELLO) {
                log.warn("refused data channel connection from {}: it did not start with HELLO", socket.getRemoteSocketAddress());
                return;
            }
            String migrationId = in.readUTF();
            IncomingMigration incoming = expected.get(migrationId);
            if (incoming == null) {
                log.warn("refused data channel connection from {} for migration {}: no skeleton expects it",
                        socket.getRemoteSocketAddress(), migrationId);
                IncomingMigration.reply(out, Frames.ERROR, "no skeleton VM waits for migration " + migrationId + " here");
                return;
            }
            try {
                incoming.serve(in, out);
            } catch (IOException e) {
                incoming.verified.completeExceptionally(e);
                throw e;
            }
        } catch (IOException e) {
            log.warn("data channel from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
