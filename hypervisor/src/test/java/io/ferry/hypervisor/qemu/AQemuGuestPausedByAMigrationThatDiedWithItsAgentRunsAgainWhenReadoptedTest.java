package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmInfo;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source agent killed in its final copy while QEMU held the guest paused at pre-switchover: its migration died with it (the
 * orchestrator rolls it back AGENT_RESTARTED), so the next agent cancels it and the guest runs on the source again.
 */
class AQemuGuestPausedByAMigrationThatDiedWithItsAgentRunsAgainWhenReadoptedTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final QemuRunDirs hosts = new QemuRunDirs();

    @Test
    void the_next_agent_cancels_that_migration_and_the_same_qemu_runs_the_guest_on_from_where_it_was() throws Exception {
        // given a guest whose final copy began: QEMU holds it paused at pre-switchover, before migrate-continue
        QemuHypervisor source = hosts.keepingHost("hv-01", 16);
        QemuHypervisor destination = hosts.host("hv-02", 16);
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        source.boot(spec);
        source.inventoryBooted();
        long pid = source.pid("SERVER2").orElseThrow();
        Path console = source.serialLog("SERVER2").orElseThrow();
        QemuGuests.await(console, Duration.ofSeconds(60), c -> QemuGuests.ticking(c, 3));
        MigrationTicket ticket = QemuGuests.ticket();
        source.connectSource(ticket, destination.prepareSkeleton(ticket, spec));
        source.precopy(ticket, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000), round -> {});
        source.pauseAtGateForTests(ticket);
        assertThat(source.vms()).extracting(VmInfo::state).containsExactly(VmState.PAUSED);
        long ticksAtPause = SerialConsole.read(console).lastTick().n();

        // when the source's agent dies there (as with kill -9) and a new one starts on its run directory
        source.abandonForTests();
        QemuHypervisor restarted = hosts.keepingHost("hv-01", 16);

        // then the same QEMU runs the guest again, listed RUNNING, its migration cancelled
        assertThat(restarted.pid("SERVER2")).contains(pid);
        assertThat(restarted.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        // and the guest goes on counting from where it was paused, without a reboot
        SerialConsole after = QemuGuests.await(console, Duration.ofSeconds(30),
                c -> c.hasTicks() && c.lastTick().n() >= ticksAtPause + 5);
        assertThat(after.readyLines()).isEqualTo(1);
        assertThat(after.ticks()).extracting(SerialConsole.Tick::n).doesNotHaveDuplicates().isSorted();
    }
}
