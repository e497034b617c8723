package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TheDataChannelAdmitsTheSourceOnlyFromItsAddressTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 16, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private static final String TOKEN = "s3cret-one-time-token";
    @RegisterExtension
    final TwoSimulatedHosts hosts = new TwoSimulatedHosts(5_000);
    private final SimulatedHypervisor source = hosts.source;
    private final SimulatedHypervisor destination = hosts.destination;

    @Test
    void a_peer_with_the_right_token_at_another_address_is_refused_and_the_source_still_migrates() throws Exception {
        // given a skeleton for m-1 whose source's data address is 127.0.0.1
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", TOKEN, "127.0.0.1");
        String address = destination.prepareSkeleton(ticket, SPEC);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));

        // when a peer that even holds the token connects first, from 127.0.0.2
        String refusal = handshakeFrom(InetAddress.getByName("127.0.0.2"), port);

        // then it is refused, naming both addresses, and the real source is admitted and migrates intact
        assertThat(refusal).contains("127.0.0.2").contains("127.0.0.1");
        source.connectSource(ticket, address);
        source.precopy(ticket, CopyPolicy.of(300, 0, 5), round -> {});
        source.finalCopy(ticket);
        destination.resume(ticket);
        source.discardSource(ticket);
        assertThat(destination.switchoverFingerprint("m-1")).get()
                .isEqualTo(source.switchoverFingerprint("m-1").get());
    }

    /** The whole handshake with the right token, from {@code local}; returns the destination's refusal. */
    private static String handshakeFrom(InetAddress local, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] sourceNonce = Handshake.nonce();
            out.writeByte(Frames.HELLO);
            out.writeUTF("m-1");
            out.write(sourceNonce);
            out.flush();
            assertThat(in.readByte()).isEqualTo(Frames.CHALLENGE);
            byte[] destinationNonce = in.readNBytes(Handshake.NONCE);
            in.readNBytes(Handshake.PROOF);
            out.writeByte(Frames.PROOF);
            out.write(Handshake.proof(TOKEN.getBytes(StandardCharsets.UTF_8), Handshake.Role.SOURCE, "m-1", sourceNonce,
                    destinationNonce));
            out.flush();
            assertThat(in.readByte()).isEqualTo(Frames.ERROR);
            return in.readUTF();
        }
    }
}
