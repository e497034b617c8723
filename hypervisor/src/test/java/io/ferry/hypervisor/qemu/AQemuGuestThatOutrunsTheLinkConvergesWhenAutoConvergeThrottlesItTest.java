package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmInfo;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AQemuGuestThatOutrunsTheLinkConvergesWhenAutoConvergeThrottlesItTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void with_auto_converge_allowed_qemu_throttles_the_guest_until_its_dirty_set_fits_the_downtime_limit()
            throws Exception {
        // given the guest that fails NOT_CONVERGING over a 400 Mbit/s link without auto-converge (its sibling test's
        // link: at 1 Gbit/s a guest starved of CPU on a busy machine dirtied slowly enough to converge unthrottled)
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        hosts.bootTicking(spec);
        MigrationTicket ticket = hosts.connect(spec);
        List<RoundStats> rounds = new CopyOnWriteArrayList<>();

        // when pre-copy runs with auto-converge allowed
        PrecopyResult converged = hosts.source.precopy(ticket, new CopyPolicy(300, 400, 10, true, Compression.NONE, 30_000),
                rounds::add);

        // then QEMU throttled the guest (reported with the rounds) and pre-copy converged, the guest running on under
        // the hold limit until the final copy
        assertThat(rounds).extracting(RoundStats::throttlePercent).anyMatch(percent -> percent >= 20);
        assertThat(converged.rounds()).isGreaterThanOrEqualTo(3);
        assertThat(hosts.source.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        // and the migration finishes
        assertThat(hosts.source.finalCopy(ticket).memoryChecksum()).isEqualTo(hosts.destination.resume(ticket).memoryChecksum());
    }
}
