package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A guest that dirties all its memory between two harvests, converged only under a downtime limit that takes its whole
 * memory: between convergence and the final-copy command its migration keeps sending what it dirties. The command must
 * stop that at once, not after a whole round of the memory (the pages it had not sent go in the pause instead): a
 * 1 GiB write-heavy guest at 1,000 Mbit/s spent 18.5 s from the command to its end, 9.5 s of it paused (2026-12-02).
 */
class TheFinalCopyCommandStopsTheTrickleWithoutFinishingItsRoundTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 16, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private static final long PAGES = 16 * 256;
    // 40 Mbit/s carries ~1,200 pages/s: a round of the guest's 4,096 pages takes about 3.4 s
    private static final int LINK_MBPS = 40;
    private final SimulatedHypervisor source = LoopbackHosts.running(GuestWorkload.parse("heavy"));
    private final SimulatedHypervisor destination = LoopbackHosts.running(GuestWorkload.IDLE);

    @AfterEach
    void close() throws Exception {
        source.close();
        destination.close();
    }

    @Test
    void the_pages_sent_after_convergence_are_about_one_memory_not_two() throws Exception {
        // given the heavy guest, once it has written all its memory, converged under a limit that lets its whole memory
        // go in the pause
        source.boot(SPEC);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (source.sample("SERVER2", java.time.Duration.ofMillis(20)).orElseThrow().usedPages() < PAGES) {
            assertThat(java.time.Instant.now()).as("the guest to have written all its memory by then").isBefore(deadline);
        }
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", "t-1");
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        source.precopy(ticket, new CopyPolicy(60_000, LINK_MBPS, 10, false, Compression.NONE, 30_000), r -> { });

        // when the final copy is commanded once the migration is sending what the guest dirtied since
        while (source.sentSinceConvergence(ticket) == 0) {
            assertThat(java.time.Instant.now()).as("the migration to send pages after convergence by then").isBefore(deadline);
        }
        FinalCopyResult result = source.finalCopy(ticket);

        // then what went after convergence is the memory the pause sent and the little that trickled before the
        // command, not a trickled round of the whole memory on top of it
        try {
            assertThat(result.pagesSent()).isBetween(PAGES / 2, PAGES + PAGES / 2);
        } finally {
            destination.abort(ticket);
            source.abort(ticket);
        }
    }
}
