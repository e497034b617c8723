package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A sniffer of the data network sees the handshake's proofs, never the token they prove. */
class TheTokenNeverCrossesTheDataNetworkTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 8, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private static final String TOKEN = "0123456789abcdef-one-time-token-of-m-1";
    @RegisterExtension
    final TwoSimulatedHosts hosts = new TwoSimulatedHosts(0);
    private final SimulatedHypervisor source = hosts.source;
    private final SimulatedHypervisor destination = hosts.destination;

    @Test
    void the_bytes_between_source_and_destination_do_not_contain_the_token() throws Exception {
        // given a skeleton for m-1 and a recording relay between the source and the destination's data port
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", TOKEN);
        String address = destination.prepareSkeleton(ticket, SPEC);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (Relay relay = new Relay(port)) {

            // when the source migrates the guest through the relay
            source.connectSource(ticket, "127.0.0.1:" + relay.port());
            source.precopy(ticket, CopyPolicy.of(300, 0, 3), round -> {});
            source.finalCopy(ticket);
            destination.resume(ticket);

            // then the guest arrived, and neither direction carried the token
            assertThat(destination.switchoverFingerprint("m-1")).isPresent();
            byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
            assertThat(indexOf(relay.upstream(), token)).as("token in the source's bytes").isEqualTo(-1);
            assertThat(indexOf(relay.downstream(), token)).as("token in the destination's bytes").isEqualTo(-1);
            assertThat(relay.upstream().length).as("bytes the guest sent through the relay").isGreaterThan(1_000_000);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Forwards one connection to the destination's port and keeps a copy of what each side sent. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream up = new ByteArrayOutputStream();
        private final ByteArrayOutputStream down = new ByteArrayOutputStream();
        private final Thread acceptor;
        private volatile Socket client;
        private volatile Socket upstreamSocket;

        Relay(int destinationPort) throws IOException {
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    client = server.accept();
                    upstreamSocket = new Socket(InetAddress.getLoopbackAddress(), destinationPort);
                    Thread.ofPlatform().daemon().start(() -> pump(client, upstreamSocket, up));
                    pump(upstreamSocket, client, down);
                } catch (IOException ignored) {
                    // the test closes the relay
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[64 << 10];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (copy) {
                        copy.write(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // a side closed: the relay is done
            }
        }

        byte[] upstream() {
            synchronized (up) {
                return up.toByteArray();
            }
        }

        byte[] downstream() {
            synchronized (down) {
                return down.toByteArray();
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket socket : new Socket[] {client, upstreamSocket}) {
                if (socket != null) {
                    socket.close();
                }
            }
            acceptor.join(5_000);
        }
    }
}
