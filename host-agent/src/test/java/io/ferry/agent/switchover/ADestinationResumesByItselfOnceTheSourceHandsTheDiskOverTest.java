package io.ferry.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.agent.storage.Handoff;
import io.ferry.agent.storage.StorageLeases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the pause, nothing but the two hosts takes part: once the source has sent the tail and handed the disk over,
 * the destination takes the lease and runs the guest by itself, with no command; an abort that comes before the
 * handoff keeps the disk with the source.
 */
class ADestinationResumesByItselfOnceTheSourceHandsTheDiskOverTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 32, 1, "00:15:5d:00:00:02", "SERVER2.vhdx", List.of());
    private final SimulatedHypervisor source = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(),
            0.6, 2_000, "127.0.0.1", 0, "127.0.0.1"), Clock.systemUTC());
    private final SimulatedHypervisor destination = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096,
            List.of(), 0.6, 0, "127.0.0.1", 0, "127.0.0.1"), Clock.systemUTC());
    @TempDir
    Path shared;
    private StorageLeases leases;
    private Arrivals arrivals;

    @BeforeEach
    void hosts() {
        leases = new StorageLeases(shared);
        arrivals = new Arrivals(destination, leases, "hv-02", Clock.systemUTC());
    }

    /** Migration m-1 of a booted guest: the destination expects it from setup on, and pre-copy converged. */
    private MigrationTicket precopied() {
        source.boot(SPEC);
        MigrationTicket ticket = new MigrationTicket("m-1", SPEC.vmId(), "t-1");
        source.connectSource(ticket, destination.prepareSkeleton(ticket, SPEC));
        arrivals.expect(ticket, SPEC);
        source.precopy(ticket, CopyPolicy.of(300, 0, 5), r -> {});
        return ticket;
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        destination.close();
    }

    private Handoff handoffOf(MigrationTicket ticket, FinalCopyResult done) {
        Handoff.SourceTimes times = new Handoff.SourceTimes(done.times().lastPageUs(), done.times().deviceStateUs(),
                done.times().digestUs(), done.times().authorisationWaitUs());
        return Handoff.of(ticket.migrationId(), "hv-01", "hv-02", done.memoryChecksum(), done.pausedAt(), Instant.now(), times);
    }

    @Test
    void the_guest_runs_on_the_destination_with_no_command_after_the_handoff() {
        // given a destination expecting m-1 from setup on, and a source that held the disk and pre-copied
        long held = leases.acquire("SERVER2.vhdx", "hv-01").epoch();
        MigrationTicket ticket = precopied();

        // when the source's final copy ends and it hands the disk over (no command reaches the destination)
        FinalCopyResult done = source.finalCopy(ticket);
        leases.handOver("SERVER2.vhdx", "hv-01", handoffOf(ticket, done));

        // then the destination took the disk at the next epoch and runs the guest, and its breakdown adds up
        Arrivals.Arrived arrived = arrivals.awaitResumed("m-1", Duration.ofSeconds(30));
        assertThat(arrived.lease().owner()).isEqualTo("hv-02");
        assertThat(arrived.lease().epoch()).isEqualTo(held + 1);
        assertThat(destination.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
        assertThat(arrived.result().memoryChecksum()).isEqualTo(done.memoryChecksum());
        Breakdown b = arrived.breakdown();
        assertThat(b.totalUs()).isPositive();
        assertThat(b.deviceStateUs()).isNotNull();
        assertThat(b.lastPageUs() + b.deviceStateUs() + b.digestCheckUs() + b.storageHandoffUs() + b.resumeUs()
                + b.otherUs()).isGreaterThanOrEqualTo(b.totalUs());
        assertThat(arrivals.awaitTakenOver("m-1", Duration.ofSeconds(1)).epoch()).isEqualTo(held + 1);
        // and the lease says so, the source's signal to drop its paused copy
        assertThat(leases.handoff("SERVER2.vhdx").orElseThrow().state()).isEqualTo(Handoff.State.RESUMED);
    }

    @Test
    void an_abort_before_the_handoff_keeps_the_disk_with_the_source() {
        // given a destination expecting m-1 and a source whose final copy is done but has not handed over
        leases.acquire("SERVER2.vhdx", "hv-01");
        MigrationTicket ticket = precopied();
        FinalCopyResult done = source.finalCopy(ticket);

        // when the ABORT reaches the destination, and only then the source's handoff is written
        arrivals.abort("m-1");
        destination.abort(ticket);
        leases.handOver("SERVER2.vhdx", "hv-01", handoffOf(ticket, done));

        // then the destination never takes the disk, and the source takes it back
        assertThatThrownBy(() -> arrivals.awaitResumed("m-1", Duration.ofSeconds(30)))
                .isInstanceOf(HypervisorException.class);
        assertThat(leases.current("SERVER2.vhdx").held()).isFalse();
        assertThat(leases.acquire("SERVER2.vhdx", "hv-01").owner()).isEqualTo("hv-01");
    }
}
