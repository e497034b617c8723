package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A switchover authorised while the hold is still shorter than the round before it (the usual case: the authorisation
 * is one trip through the orchestrator) needs no catch-up: the guest dirtied no more during the hold than during a
 * pass, and QEMU, told the rate it had before the hold, stops the guest at once if what is dirty fits the limit. (How many
 * bitmap syncs QEMU makes meanwhile is no measure: a guest starved by a busy host leaves passes short enough that QEMU
 * ends some before the hold applies.)
 */
class ASwitchoverAuthorisedWithinARoundSwitchesWithoutCatchingUpTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void qemu_switches_without_the_catch_up_passes() throws Exception {
        // QEMU before 8.2 has no avail-switchover-bandwidth to be told the rate, and the driver catches up there instead
        assumeTrue(QemuVersion.major("qemu-system-x86_64") >= 9, "needs QEMU 8.2 or later (avail-switchover-bandwidth)");
        // given a guest rewriting 64 MiB whose pre-copy is ready and held, the guest running
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.bootTicking(spec);
        MigrationTicket ticket = hosts.connect(spec);
        hosts.precopyUntilReady(ticket);

        // when the switchover is authorised at once and completes
        QemuHypervisor.Departure departure = hosts.switchOver(ticket);

        // then the final copy asked QEMU for no catch-up pass, and QEMU completed
        assertThat(departure.catchUpPasses()).isZero();
        assertThat(departure.migration().status()).isEqualTo("completed");
    }
}
