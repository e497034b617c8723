package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest held running until the switchover is authorised has dirtied pages all through the hold; when the hold lasted
 * longer than the round before it, QEMU runs full-speed passes under the hold limit before it gets the request's limit,
 * so the blackout carries what one full-speed pass left, not what the whole hold dirtied.
 */
class ASwitchoverAuthorisedAfterAHoldLongerThanARoundFirstCatchesUpTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void qemu_syncs_its_dirty_bitmap_the_catch_up_passes_more_before_the_pause() throws Exception {
        // given a guest rewriting 64 MiB whose pre-copy is ready and held, the guest running
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.bootTicking(spec);
        MigrationTicket ticket = hosts.connect(spec);
        List<RoundStats> rounds = hosts.precopyUntilReady(ticket);
        long syncsAtReady = rounds.getLast().round() + 1L; // round N ends with sync N + 1 (QemuRounds)
        long heldFrom = System.nanoTime();
        while (System.nanoTime() - heldFrom <= Duration.ofMillis(2 * rounds.getLast().roundMs() + 100).toNanos()) {
            Thread.sleep(50); // the hold lasts until it is longer than the round before it, with room to spare
        }

        // when the switchover is authorised and completes
        QemuHypervisor.Departure departure = hosts.switchOver(ticket);

        // then QEMU ran the catch-up passes, synced its bitmap for them and once more to stop the guest, and completed
        assertThat(departure.catchUpPasses()).isEqualTo(QemuOutgoing.CATCH_UP_PASSES);
        assertThat(departure.migration().dirtySyncCount()).as("dirty-bitmap syncs at completion, %d at ready", syncsAtReady)
                .isGreaterThanOrEqualTo(syncsAtReady + QemuOutgoing.CATCH_UP_PASSES + 1);
    }
}
