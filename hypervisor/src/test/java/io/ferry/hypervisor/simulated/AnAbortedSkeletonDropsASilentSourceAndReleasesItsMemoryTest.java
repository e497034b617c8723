package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pages are read from the socket straight into the skeleton's memory. A source that went silent in the middle of a
 * batch (its host died) must not keep an aborted skeleton's reader waiting, nor its memory mapped.
 */
class AnAbortedSkeletonDropsASilentSourceAndReleasesItsMemoryTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 8, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private static final String TOKEN = "token-of-m-1";
    private final SimulatedHypervisor destination = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096,
            List.of(), 0.6, 0, "127.0.0.1", 0, "127.0.0.1"), Clock.systemUTC());

    @AfterEach
    void close() throws Exception {
        destination.close();
    }

    @Test
    void given_a_source_silent_in_the_middle_of_a_batch_when_the_destination_aborts_then_it_hangs_up_and_releases_the_memory()
            throws Exception {
        // given a skeleton whose admitted source announced a page and then sent nothing more
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", TOKEN);
        String address = destination.prepareSkeleton(ticket, SPEC);
        GuestMemory memory = destination.vm("SERVER2").memory();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            admit(out, in);
            byte[] header = {0, 0, 0, 7, Frames.PAGE_DATA, 0x12, 0x34, 0x56, 0x78}; // page 7, then its checksum
            CRC32C crc = new CRC32C();
            crc.update(header);
            out.writeByte(Frames.PAGES_RAW);
            out.writeInt(1);
            out.write(header);
            out.writeInt((int) crc.getValue());
            out.write(new byte[100]); // of the page's 4096 bytes
            out.flush();
            awaitReadingPages(socket.getLocalPort());

            // when the destination aborts the migration
            destination.abort(ticket);

            // then the destination hangs up at once (before, its reader waited for the rest of the page forever)
            assertThat(in.read()).isEqualTo(-1);
            // and the skeleton's memory is unmapped soon
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (!released(memory) && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            assertThatThrownBy(() -> memory.isZero(7)).isInstanceOf(IllegalStateException.class);
            assertThat(destination.vms()).isEmpty();
        }
    }

    /** Waits until the destination's thread for this connection waits for page data in the skeleton's memory. */
    private static void awaitReadingPages(int clientPort) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline)) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().endsWith(":" + clientPort) && java.util.Arrays.stream(thread.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(ChannelInput.class.getName())
                                && f.getMethodName().equals("readFully"))) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the destination never started reading the batch's pages");
    }

    private static boolean released(GuestMemory memory) {
        try {
            memory.isZero(7);
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }

    private static void admit(DataOutputStream out, DataInputStream in) throws Exception {
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
        assertThat(in.readByte()).isEqualTo(Frames.OK);
        in.readUTF();
        out.writeByte(Frames.CONFIG);
        out.writeUTF("SERVER2");
        out.writeInt(8);
        out.flush();
        assertThat(in.readByte()).isEqualTo(Frames.OK);
        in.readUTF();
    }
}
