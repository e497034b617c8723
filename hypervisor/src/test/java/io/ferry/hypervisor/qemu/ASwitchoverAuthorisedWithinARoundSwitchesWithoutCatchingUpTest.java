package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A switchover authorised while the hold is still shorter than the round before it (the usual case: the authorisation
 * is one trip through the orchestrator) needs no catch-up: the guest dirtied no more during the hold than during a
 * pass, and QEMU, told the rate it had before the hold, stops the guest at once if what is dirty fits the limit.
 */
class ASwitchoverAuthorisedWithinARoundSwitchesWithoutCatchingUpTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void qemu_switches_without_the_catch_up_passes() throws Exception {
        // given a guest rewriting 64 MiB whose pre-copy is ready and held, the guest running
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.bootTicking(spec);
        MigrationTicket ticket = hosts.connect(spec);
        List<RoundStats> rounds = hosts.precopyUntilReady(ticket);
        long syncsAtReady = rounds.getLast().round() + 1L; // round N ends with sync N + 1 (QemuRounds)

        // when the switchover is authorised and completes
        long syncsAtCompletion = hosts.switchOver(ticket);

        // then QEMU synced its bitmap only to decide and to complete, not for catch-up passes
        assertThat(syncsAtCompletion).as("dirty-bitmap syncs at completion, %d at ready", syncsAtReady)
                .isLessThan(syncsAtReady + QemuOutgoing.CATCH_UP_PASSES + 1);
    }
}
