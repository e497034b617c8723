package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.ResumeResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ARunningGuestArrivesWithEveryPageIntactTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 32, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private final SimulatedHypervisor source = host(50_000); // the guest dirties memory all through the copy
    private final SimulatedHypervisor destination = host(0);

    private static SimulatedHypervisor host(long writesPerSecond) {
        return new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, writesPerSecond, "127.0.0.1",
                0, "127.0.0.1"), Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        source.close();
        destination.close();
    }

    @Test
    void pre_copy_and_final_copy_over_tcp_leave_the_destination_identical_to_the_paused_source() {
        // given a guest writing memory on the source and a skeleton on the destination
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", "SERVER2", "t-1");
        String address = destination.prepareSkeleton(ticket, SPEC);
        source.connectSource(ticket, address);

        // when memory is copied live, then the guest is paused for the final copy and resumed on the destination
        List<RoundStats> rounds = new ArrayList<>();
        PrecopyResult precopy = source.precopy(ticket, CopyPolicy.of(300, 0, 10), rounds::add);
        FinalCopyResult last = source.finalCopy(ticket);
        ResumeResult resumed = destination.resume(ticket);
        assertThat(source.vm("SERVER2").state()).isEqualTo(VmState.PAUSED);
        source.discardSource(ticket); // reads the paused memory page by page and checks it against what was sent

        // then every page the source had at pause is in the destination's memory (an idle host: it did not change)
        assertThat(rounds).hasSize(precopy.rounds());
        int[] atPause = source.switchoverFingerprint("m-1").orElseThrow();
        assertThat(destination.switchoverFingerprint("m-1")).get().isEqualTo(atPause);
        assertThat(destination.vm("SERVER2").memory().pageChecksums()).isEqualTo(atPause);
        assertThat(resumed.memoryChecksum()).isEqualTo(last.memoryChecksum());
        assertThat(destination.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void only_the_pages_the_guest_used_are_sent_and_zero_pages_go_as_markers() throws Exception {
        // given an idle guest that has used 60 % of its memory
        try (SimulatedHypervisor idle = host(0)) {
            idle.boot(SPEC);
            MigrationTicket ticket = new MigrationTicket("m-3", "SERVER2", "t-3");
            idle.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));

            // when it is pre-copied
            List<RoundStats> rounds = new ArrayList<>();
            idle.precopy(ticket, CopyPolicy.of(300, 0, 10), rounds::add);

            // then one round carries exactly the used pages, the all-zero ones as markers
            assertThat(rounds).hasSize(1);
            assertThat(rounds.getFirst().pagesSent()).isEqualTo(Math.round(32 * 256 * 0.6));
            assertThat(rounds.getFirst().zeroPages()).isPositive();
            assertThat(rounds.getFirst().bytesSent()).isLessThan(rounds.getFirst().pagesSent() * 4096);
        }
    }

    @Test
    void an_abort_after_the_final_copy_paused_the_guest_lets_it_run_on_the_source_again() {
        // given a migration whose final copy paused the source
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-2", "SERVER2", "t-2");
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        source.precopy(ticket, CopyPolicy.of(300, 0, 3), r -> {});
        source.finalCopy(ticket);

        // when both hosts abort
        source.abort(ticket);
        destination.abort(ticket);

        // then the source's guest stays paused until the source holds its disk again, then runs there
        assertThat(source.vm("SERVER2").state()).isEqualTo(VmState.PAUSED);
        source.resumeAfterAbort(ticket);
        assertThat(source.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
        // and the destination holds nothing
        assertThat(destination.vms()).isEmpty();
        assertThatThrownBy(() -> destination.resume(ticket)).isInstanceOf(HypervisorException.class);
    }

    @Test
    void a_destination_that_already_resumed_the_vm_refuses_to_abort_and_keeps_it_running() {
        // given a migration whose destination resumed the guest
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-3", "SERVER2", "t-3");
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        source.precopy(ticket, CopyPolicy.of(300, 0, 3), r -> {});
        source.finalCopy(ticket);
        destination.resume(ticket);

        // when a late abort reaches the destination
        // then it is refused, naming why, and the guest keeps running there
        assertThatThrownBy(() -> destination.abort(ticket)).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("already resumed");
        assertThat(destination.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
    }
}
