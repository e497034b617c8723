package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest that migrated away leaves its touched memory on the host it left; the next skeleton of its size there maps
 * that memory (zeroed) instead of fresh memory, and the guest that arrives into it runs.
 */
class ASkeletonMapsTheMemoryItsDepartedGuestTouchedTest {
    private static final long GUEST_BYTES = 256L << 20;

    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void the_way_back_lands_in_the_memory_the_guest_left_behind() throws Exception {
        // given a 256 MB guest that migrated from hv-01 to hv-02
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.bootTicking(spec);
        Path booted = hosts.source.ramFileForTests("SERVER2").orElseThrow();
        MigrationTicket away = hosts.connect(spec);
        hosts.precopyUntilReady(away);
        hosts.switchOver(away);
        QemuGuests.await(hosts.destination.serialLog("SERVER2").orElseThrow(), Duration.ofSeconds(30),
                c -> QemuGuests.ticking(c, 3));

        // then hv-01 keeps the memory it left
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (hosts.source.keptRamBytesForTests() != GUEST_BYTES && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling the condition
        }
        assertThat(hosts.source.keptRamBytesForTests()).as("memory kept on hv-01").isEqualTo(GUEST_BYTES);
        assertThat(booted).doesNotExist();

        // when it migrates back
        MigrationTicket back = QemuGuests.ticket();
        hosts.destination.connectSource(back, hosts.source.prepareSkeleton(back, spec));

        // then hv-01's skeleton maps that memory, and the guest that arrives in it runs
        assertThat(hosts.source.keptRamBytesForTests()).isZero();
        assertThat(hosts.source.ramFileForTests("SERVER2").orElseThrow().getFileName().toString())
                .startsWith("guest-SERVER2-in-");
        hosts.destination.precopy(back, new io.ferry.hypervisor.Hypervisor.CopyPolicy(300, 0, 10, false,
                io.ferry.hypervisor.Hypervisor.Compression.NONE, 30_000), round -> { });
        hosts.destination.finalCopy(back);
        hosts.destination.releaseDisk(back);
        hosts.source.resume(back);
        hosts.destination.discardSource(back);
        int ticks = SerialConsole.read(hosts.source.serialLog("SERVER2").orElseThrow()).ticks().size();
        QemuGuests.await(hosts.source.serialLog("SERVER2").orElseThrow(), Duration.ofSeconds(30),
                c -> QemuGuests.ticking(c, ticks + 3));
    }
}
