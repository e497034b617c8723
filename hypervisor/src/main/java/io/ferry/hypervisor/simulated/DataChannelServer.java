package io.ferry.hypervisor.simulated;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination's data port: one listener, one thread per incoming connection. Only a connection whose HELLO names
 * an expected migration and that proves it holds the migration's one-time token ({@link Handshake}) is admitted, once;
 * everything else gets an ERROR.
 */
final class DataChannelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataChannelServer.class);
    private static final int HELLO_TIMEOUT_MS = 10_000;
    private final ServerSocketChannel server;
    private final String advertisedHost;
    private final Map<String, IncomingMigration> expected = new ConcurrentHashMap<>();

    DataChannelServer(String bindHost, int port, String advertisedHost) {
        try {
            this.server = ServerSocketChannel.open();
            server.socket().setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the data port " + bindHost + ":" + port + ": " + e.getMessage()
                    + " (set ferry.agent.data-port to a free port, or 0 for any)", e);
        }
        this.advertisedHost = advertisedHost;
        Thread.ofVirtual().name("data-channel-accept").start(this::acceptLoop);
    }

    String address() {
        return advertisedHost + ":" + server.socket().getLocalPort();
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
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                // A platform thread: applying pages is CPU-bound and must not sit behind (or block) virtual threads.
                Thread.ofPlatform().daemon().name("data-channel-" + channel.socket().getRemoteSocketAddress())
                        .start(() -> serve(channel));
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.warn("data channel accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel channel) {
        Socket socket = channel.socket();
        try (channel) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HELLO_TIMEOUT_MS); // a peer that never says HELLO does not hold a thread forever
            ChannelInput input = new ChannelInput(channel);
            DataInputStream in = new DataInputStream(input);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            if (in.readByte() != Frames.HELLO) {
                refuse(socket, out, "(none)", "it did not start with HELLO");
                return;
            }
            DataChannelCodec.Hello hello = DataChannelCodec.readHello(in);
            String migrationId = hello.migrationId();
            byte[] sourceNonce = hello.sourceNonce();
            IncomingMigration incoming = expected.get(migrationId);
            String refusal = incoming == null ? "no skeleton VM waits for this migration here" : incoming.challengeable();
            if (refusal != null) {
                refuse(socket, out, migrationId, refusal);
                return;
            }
            byte[] destinationNonce = Handshake.nonce();
            DataChannelCodec.challenge(out, destinationNonce, incoming.proof(sourceNonce, destinationNonce));
            byte[] proof;
            try {
                if (in.readByte() != Frames.PROOF) {
                    refuse(socket, out, migrationId, "it did not answer the challenge with PROOF");
                    return;
                }
                proof = DataChannelCodec.readProof(in);
            } catch (IOException e) {
                log.warn("refused data channel connection from {} for migration {}: it left without answering the "
                        + "challenge ({})", socket.getRemoteSocketAddress(), migrationId, e.toString());
                return;
            }
            refusal = incoming.admit(socket.getInetAddress(), sourceNonce, destinationNonce, proof);
            if (refusal != null) {
                refuse(socket, out, migrationId, refusal);
                return;
            }
            socket.setSoTimeout(0); // admitted: the source may rightly wait long between stages
            DataChannelCodec.reply(out, true, "admitted to migration " + migrationId);
            try {
                incoming.serve(input, in, out);
            } catch (IOException | RuntimeException e) {
                incoming.verified.completeExceptionally(e);
                throw e;
            }
        } catch (IOException e) {
            log.warn("data channel from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    // The refused peer learns why, but the migration it named is left as it was, still waiting for its source.
    private static void refuse(Socket socket, DataOutputStream out, String migrationId, String reason) throws IOException {
        log.warn("refused data channel connection from {} for migration {}: {}", socket.getRemoteSocketAddress(),
                migrationId, reason);
        DataChannelCodec.reply(out, false, "refused for migration " + migrationId + ": " + reason);
    }

    @Override
    public void close() throws IOException {
        server.close();
        // Their connections read straight into skeletons' memory, which the agent is about to unmap.
        expected.values().forEach(IncomingMigration::close);
    }
}
