package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.HypervisorException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TheDataChannelRefusesAConnectionWithoutTheMigrationsTokenTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 16, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private static final String TOKEN = "s3cret-one-time-token";
    private final SimulatedHypervisor source = host(20_000);
    private final SimulatedHypervisor intruder = host(0);
    private final SimulatedHypervisor destination = host(0);
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(DataChannelServer.class);

    private static SimulatedHypervisor host(long writesPerSecond) {
        return new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, writesPerSecond, "127.0.0.1",
                0, "127.0.0.1"), Clock.systemUTC());
    }

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        serverLog.addAppender(warnings);
    }

    @AfterEach
    void close() throws Exception {
        serverLog.detachAppender(warnings);
        source.close();
        intruder.close();
        destination.close();
    }

    @Test
    void a_wrong_token_is_refused_and_the_real_source_still_migrates() {
        // given a skeleton waiting for migration m-1 and a second host that knows the migration but not its token
        source.boot(SPEC);
        intruder.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", TOKEN);
        String address = destination.prepareSkeleton(ticket, SPEC);

        // when the intruder connects first with a wrong token
        assertThatThrownBy(() -> intruder.connectSource(new MigrationTicket("m-1", "SERVER2", "guessed"), address))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.reason()).isEqualTo("DATA_CHANNEL_FAILED"));

        // then the refusal is logged with the migration id but no token, and the real source migrates intact
        assertThat(warnings.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("m-1", "127.0.0.1").doesNotContain("guessed", TOKEN);
        });
        migrate(ticket, address);
    }

    @Test
    void a_well_formed_handshake_with_a_proof_from_another_token_is_refused_and_the_real_source_still_migrates()
            throws Exception {
        // given a skeleton waiting for migration m-5
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-5", "SERVER2", TOKEN);
        String address = destination.prepareSkeleton(ticket, SPEC);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));

        // when a peer answers the challenge by the protocol, but with a proof made from another token
        byte answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] sourceNonce = Handshake.nonce();
            out.writeByte(Frames.HELLO);
            out.writeUTF("m-5");
            out.write(sourceNonce);
            out.flush();
            assertThat(in.readByte()).isEqualTo(Frames.CHALLENGE);
            byte[] destinationNonce = in.readNBytes(Handshake.NONCE);
            in.readNBytes(Handshake.PROOF);
            out.writeByte(Frames.PROOF);
            out.write(Handshake.proof("another-token".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Handshake.Role.SOURCE, "m-5", sourceNonce, destinationNonce));
            out.flush();
            answer = in.readByte();
        }

        // then it is refused, and the real source is still admitted and migrates intact
        assertThat(answer).isEqualTo(Frames.ERROR);
        migrate(ticket, address);
    }

    @Test
    void a_second_connection_with_the_right_token_is_refused_once_the_source_is_admitted() {
        // given the real source already connected to the skeleton
        source.boot(SPEC);
        intruder.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-2", "SERVER2", TOKEN);
        String address = destination.prepareSkeleton(ticket, SPEC);
        source.connectSource(ticket, address);

        // when another host replays the same token
        assertThatThrownBy(() -> intruder.connectSource(ticket, address))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.reason()).isEqualTo("DATA_CHANNEL_FAILED"));

        // then the admitted source's migration is unharmed
        migrate(ticket, null);
    }

    @Test
    void connections_without_hello_or_for_an_unknown_migration_get_an_error_reply() throws Exception {
        // given a skeleton waiting for migration m-3
        String address = destination.prepareSkeleton(new MigrationTicket("m-3", "SERVER2", TOKEN), SPEC);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));

        // when one raw connection sends no HELLO and another names a migration nobody expects
        byte withoutHello = exchange(port, out -> out.writeByte(Frames.CONFIG));
        byte unknownMigration = exchange(port, out -> {
            out.writeByte(Frames.HELLO);
            out.writeUTF("m-unknown");
            out.write(Handshake.nonce());
        });

        // then both are refused with ERROR and the skeleton still waits
        assertThat(withoutHello).isEqualTo(Frames.ERROR);
        assertThat(unknownMigration).isEqualTo(Frames.ERROR);
        assertThat(destination.vm("SERVER2").state()).isEqualTo(io.ferry.hypervisor.Hypervisor.VmState.SKELETON);
    }

    @Test
    void a_skeleton_prepared_without_a_token_refuses_every_connection() {
        // given a destination whose prepare command carried no token
        source.boot(SPEC);
        String address = destination.prepareSkeleton(new MigrationTicket("m-4", "SERVER2", null), SPEC);

        // when a source connects with any token
        // then it is refused rather than let in
        assertThatThrownBy(() -> source.connectSource(new MigrationTicket("m-4", "SERVER2", "anything"), address))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.reason()).isEqualTo("DATA_CHANNEL_FAILED"))
                .hasMessageContaining("without a data-channel token");
    }

    private void migrate(MigrationTicket ticket, String address) {
        if (address != null) {
            source.connectSource(ticket, address);
        }
        source.precopy(ticket, CopyPolicy.of(300, 0, 5), round -> {});
        source.finalCopy(ticket);
        destination.resume(ticket);
        source.discardSource(ticket);
        assertThat(destination.switchoverFingerprint(ticket.migrationId())).get()
                .isEqualTo(source.switchoverFingerprint(ticket.migrationId()).get());
    }

    private interface Frame {
        void write(DataOutputStream out) throws Exception;
    }

    private static byte exchange(int port, Frame frame) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            frame.write(out);
            out.flush();
            return new DataInputStream(socket.getInputStream()).readByte();
        }
    }
}
