package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.schema.common.FailureReason;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After the final copy the source reads its paused guest's memory (in the background, while the switchover's hops run)
 * and, when it is discarded, compares it with what it sent: a write the dirty log lost is caught there, which the
 * final copy's digest (over what was sent) cannot see.
 */
class TheSourcesSelfCheckCatchesAWriteTheDirtyLogLostTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 32, 1, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private final SimulatedHypervisor source = host();
    private final SimulatedHypervisor destination = host();

    private static SimulatedHypervisor host() {
        return new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, 0, "127.0.0.1", 0, "127.0.0.1"),
                Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        source.close();
        destination.close();
    }

    @Test
    void a_page_changed_without_its_dirty_bit_fails_the_discard_with_a_memory_mismatch() {
        // given an idle guest pre-copied to the destination
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", "t-1");
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        source.precopy(ticket, CopyPolicy.of(300, 0, 10), r -> {});

        // when a page changes without the dirty log seeing it, and the switchover goes on
        byte[] lost = new byte[GuestMemory.PAGE_SIZE];
        Arrays.fill(lost, (byte) 0x5a);
        source.vm("SERVER2").memory().load(3, lost, 0); // not a guest write: no dirty bit
        source.finalCopy(ticket);
        destination.resume(ticket);

        // then the destination resumed what was sent, and discarding the source reports the page that differs
        assertThatThrownBy(() -> source.discardSource(ticket))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureReason.MEMORY_MISMATCH))
                .hasMessageContaining("1 pages of SERVER2 differ from what was sent");
    }
}
