package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.HypervisorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw batches are read straight into guest memory and checked there page by page: a page the network changed on the
 * way fails the migration on the destination, which never resumes it.
 */
class ACorruptedPageIsCaughtWhereItArrivesTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 16, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    /** Well inside round 1's payload: the guest sends about 8 MB of pages with content. */
    private static final long FLIPPED_BYTE = 3_000_000;
    @RegisterExtension
    final TwoSimulatedHosts hosts = new TwoSimulatedHosts(0);
    private final SimulatedHypervisor source = hosts.source;
    private final SimulatedHypervisor destination = hosts.destination;

    @Test
    void given_a_relay_that_flips_one_byte_of_the_pages_when_the_guest_migrates_then_the_destination_refuses_to_resume_it()
            throws Exception {
        // given a skeleton, and a relay between the source and the destination's data port that flips one byte
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", "t-1");
        String address = destination.prepareSkeleton(ticket, SPEC);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (FlippingRelay relay = new FlippingRelay(port)) {

            // when the source migrates the guest through it
            source.connectSource(ticket, "127.0.0.1:" + relay.port());

            // then the source's copy fails (the destination dropped the channel), whichever stage noticed first
            assertThatThrownBy(() -> {
                source.precopy(ticket, CopyPolicy.of(300, 0, 3), round -> {});
                source.finalCopy(ticket);
            }).isInstanceOf(HypervisorException.class);
            // and the destination does not resume it, naming the corrupted page
            assertThatThrownBy(() -> destination.resume(ticket)).isInstanceOf(HypervisorException.class)
                    .hasMessageContaining("corrupted");
        }
    }

    /** Forwards one connection to the destination's port, with the byte at {@link #FLIPPED_BYTE} of the source's inverted. */
    private static final class FlippingRelay implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread acceptor;
        private volatile Socket client;
        private volatile Socket upstreamSocket;

        FlippingRelay(int destinationPort) throws IOException {
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    client = server.accept();
                    upstreamSocket = new Socket(InetAddress.getLoopbackAddress(), destinationPort);
                    Thread.ofPlatform().daemon().start(() -> pump(client, upstreamSocket, FLIPPED_BYTE));
                    pump(upstreamSocket, client, -1);
                } catch (IOException ignored) {
                    // the test closes the relay
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to, long flip) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[64 << 10];
                long offset = 0;
                for (int n; (n = in.read(buffer)) > 0; offset += n) {
                    if (flip >= offset && flip < offset + n) {
                        buffer[(int) (flip - offset)] ^= (byte) 0xff;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // a side closed: the relay is done
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
