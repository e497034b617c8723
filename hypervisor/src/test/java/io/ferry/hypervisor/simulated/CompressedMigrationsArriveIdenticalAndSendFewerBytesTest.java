package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressedMigrationsArriveIdenticalAndSendFewerBytesTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 32, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    @RegisterExtension
    final TwoSimulatedHosts hosts = new TwoSimulatedHosts(0);
    private final SimulatedHypervisor source = hosts.source;
    private final SimulatedHypervisor destination = hosts.destination;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void an_idle_guest_arrives_identical_and_compression_sends_fewer_bytes_than_raw(Compression compression) {
        // given an idle guest whose memory mixes random, text-like and zero pages
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-" + compression, "SERVER2", "t-" + compression);
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));

        // when it migrates with the chosen compression
        List<RoundStats> rounds = new ArrayList<>();
        source.precopy(ticket, new CopyPolicy(300, 0, 10, false, compression, 30_000), rounds::add);
        source.finalCopy(ticket);
        destination.resume(ticket);
        source.discardSource(ticket);

        // then memory is identical, and round 1 used fewer wire bytes than raw exactly when compressing
        assertThat(destination.switchoverFingerprint(ticket.migrationId())).get()
                .isEqualTo(source.switchoverFingerprint(ticket.migrationId()).get());
        RoundStats first = rounds.getFirst();
        if (compression == Compression.NONE) {
            assertThat(first.bytesSent()).isEqualTo(first.uncompressedBytes());
        } else {
            assertThat(first.bytesSent()).isLessThan(first.uncompressedBytes());
        }
    }
}
