package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmInfo;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination agent killed after its QEMU resumed the guest, before the orchestrator heard of it: the migration is
 * rolled back, and the ABORT the next agent receives must be refused, or the disk would go back to the source.
 */
class AQemuDestinationRestartedAfterResumeStillRefusesTheAbortTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final QemuRunDirs hosts = new QemuRunDirs();

    @Test
    void the_next_agent_keeps_the_guest_running_and_refuses_the_abort() throws Exception {
        // given a guest migrated to a destination that keeps its guests, resumed there
        QemuHypervisor source = hosts.host("hv-01", 16);
        QemuHypervisor destination = hosts.keepingHost("hv-02", 16);
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        source.boot(spec);
        QemuGuests.await(source.serialLog("SERVER2").orElseThrow(), Duration.ofSeconds(60), c -> QemuGuests.ticking(c, 3));
        MigrationTicket ticket = QemuGuests.ticket();
        source.connectSource(ticket, destination.prepareSkeleton(ticket, spec));
        source.precopy(ticket, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000), round -> {});
        source.finalCopy(ticket);
        source.releaseDisk(ticket);
        destination.resume(ticket);
        long pid = destination.pid("SERVER2").orElseThrow();

        // when the destination's agent dies (as with kill -9), a new one starts and the rollback's ABORT reaches it
        destination.abandonForTests();
        QemuHypervisor restarted = hosts.keepingHost("hv-02", 16);

        // then it refuses, naming why, and the same QEMU still runs the guest
        assertThatThrownBy(() -> restarted.abort(ticket))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("ROLLBACK_REFUSED"))
                .hasMessageContaining("already resumed");
        assertThat(restarted.pid("SERVER2")).contains(pid);
        assertThat(restarted.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
    }
}
