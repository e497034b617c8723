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
 * A guest whose pre-copy is ready runs on while the switchover is authorised (QEMU iterates under the hold downtime
 * limit); an abort then cancels QEMU's migration without the guest ever stopping.
 */
class AnAbortWhileQemuHoldsTheReadyGuestNeverStopsItTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(32);

    @Test
    void the_guest_keeps_running_on_the_source_and_the_skeleton_is_dropped() throws Exception {
        // given a guest whose pre-copy is ready: it runs on, QEMU iterating under the hold limit, awaiting the final copy
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        Path console = hosts.bootTicking(spec);
        MigrationTicket ticket = hosts.connect(spec);
        long skeletonPid = hosts.destination.pid("SERVER2").orElseThrow();
        hosts.source.precopy(ticket, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000), round -> {});
        assertThat(hosts.source.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        long ticksAtReady = SerialConsole.read(console).lastTick().n();
        QemuGuests.await(console, Duration.ofSeconds(30), c -> c.lastTick().n() >= ticksAtReady + 3); // still ticking

        // when both hosts roll back, as the abort handler does (the source runs its guest once it holds the disk)
        hosts.destination.abort(ticket);
        hosts.source.abort(ticket);
        hosts.source.resumeAfterAbort(ticket);

        // then the guest runs on the source and goes on counting, without a reboot
        assertThat(hosts.source.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        SerialConsole after = QemuGuests.await(console, Duration.ofSeconds(30),
                c -> c.hasTicks() && c.lastTick().n() >= ticksAtReady + 8);
        assertThat(after.readyLines()).isEqualTo(1);
        assertThat(after.ticks()).extracting(SerialConsole.Tick::n).doesNotHaveDuplicates().isSorted();
        // and the destination dropped its skeleton: nothing listed, its QEMU gone
        assertThat(hosts.destination.vms()).isEmpty();
        assertThat(ProcessHandle.of(skeletonPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }
}
