package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A destination agent that dies after it resumed the guest, before the orchestrator heard of it, is rolled back: the
 * ABORT it then receives must be refused by the restarted agent too, or the source would take the disk back and run
 * the guest a second time. The destination keeps which migration brought each guest in its run directory.
 */
class ADestinationRestartedAfterResumeStillRefusesTheAbortTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 32, 1, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private final Path runDir = runDir();
    private final SimulatedHypervisor source = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(),
            0.6, 0, "127.0.0.1", 0, "127.0.0.1"), Clock.systemUTC());
    private SimulatedHypervisor destination = destination();

    private static Path runDir() {
        try {
            return Files.createTempDirectory(GuestMemory.defaultDirectory(0), "ferry-arrival-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SimulatedHypervisor destination() {
        return new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, GuestWorkload.IDLE,
                ContentMix.DEFAULT, null, "127.0.0.1", 0, "127.0.0.1", runDir), Clock.systemUTC());
    }

    private SimulatedHypervisor restartDestination() throws Exception {
        destination.close();
        destination = destination();
        return destination;
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        destination.close();
        GuestStore.wipe(runDir);
    }

    private MigrationTicket migrateUpToTheFinalCopy(String migrationId) {
        MigrationTicket ticket = new MigrationTicket(migrationId, SPEC.vmId(), "t-" + migrationId);
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        source.precopy(ticket, CopyPolicy.of(300, 0, 3), r -> {});
        source.finalCopy(ticket);
        return ticket;
    }

    @Test
    void a_guest_that_resumed_here_keeps_running_and_the_abort_is_refused() throws Exception {
        // given a migration whose destination resumed the guest, and whose agent then restarted
        source.boot(SPEC);
        MigrationTicket ticket = migrateUpToTheFinalCopy("m-1");
        destination.resume(ticket);
        SimulatedHypervisor restarted = restartDestination();
        assertThat(restarted.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);

        // when the rollback's ABORT reaches the restarted destination
        // then it is refused, naming why, and the guest keeps running there
        assertThatThrownBy(() -> restarted.abort(ticket)).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("already resumed");
        assertThat(restarted.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void a_skeleton_that_never_resumed_is_dropped_and_the_abort_goes_through() throws Exception {
        // given a migration whose destination received everything but was never told to resume, and restarted
        source.boot(SPEC);
        MigrationTicket ticket = migrateUpToTheFinalCopy("m-2");
        SimulatedHypervisor restarted = restartDestination();

        // when the rollback's ABORT reaches it
        // then it is accepted: the destination holds no guest, so the source may run it again
        assertThatCode(() -> restarted.abort(ticket)).doesNotThrowAnyException();
        assertThat(restarted.vms()).isEmpty();
    }

    @Test
    void a_guest_that_arrived_earlier_can_still_be_rolled_back_from_a_later_migration_away() throws Exception {
        // given a guest that arrived by m-3, then started to leave again by m-4, and an agent restart in between
        source.boot(SPEC);
        destination.resume(migrateUpToTheFinalCopy("m-3"));
        SimulatedHypervisor restarted = restartDestination();
        MigrationTicket away = new MigrationTicket("m-4", SPEC.vmId(), "t-m-4");

        // when m-4 is aborted on the host it was leaving
        // then that is not refused: only the migration that brought the guest here has moved past its point of no return
        assertThatCode(() -> restarted.abort(away)).doesNotThrowAnyException();
        assertThat(restarted.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
    }
}
