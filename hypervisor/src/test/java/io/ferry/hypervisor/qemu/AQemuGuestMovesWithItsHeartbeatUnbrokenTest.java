package io.ferry.hypervisor.qemu;

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
import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every stage of the seam, in the orchestrator's order, between two QEMU hosts of this machine. */
class AQemuGuestMovesWithItsHeartbeatUnbrokenTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void the_destination_continues_the_sources_tick_counter_and_the_source_is_left_postmigrate_then_quits()
            throws Exception {
        // given a 256 MB guest that rewrites 64 MiB in a loop, booted and ticking on the source
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.source.boot(spec);
        Path sourceConsole = hosts.source.serialLog("SERVER2").orElseThrow();
        long sourcePid = hosts.source.pid("SERVER2").orElseThrow();
        QemuGuests.await(sourceConsole, Duration.ofSeconds(60), c -> c.readyLines() == 1 && QemuGuests.ticking(c, 5));
        MigrationTicket ticket = QemuGuests.ticket();

        // when it goes through the stages: skeleton, connect, pre-copy, final copy, disk, resume, announce, discard
        String address = hosts.destination.prepareSkeleton(ticket, spec);
        assertThat(hosts.destination.vms()).extracting(v -> v.state()).containsExactly(VmState.SKELETON);
        hosts.source.connectSource(ticket, address);
        List<RoundStats> rounds = new ArrayList<>();
        PrecopyResult converged = hosts.source.precopy(ticket, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000),
                rounds::add);
        // (ready, the guest runs on: QEMU iterates under the hold limit until the final copy authorises the switch)
        assertThat(hosts.source.vms()).extracting(v -> v.state()).containsExactly(VmState.RUNNING);
        java.time.Instant authorised = java.time.Instant.now();
        FinalCopyResult finalCopy = hosts.source.finalCopy(ticket);
        hosts.source.releaseDisk(ticket);
        ResumeResult resumed = hosts.destination.resume(ticket);
        hosts.destination.announce(ticket);
        // (and, before it is dropped, the source's QEMU cannot take the disk image back to run its copy again)
        assertThatThrownBy(() -> hosts.source.resumeAfterAbort(ticket))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("RESUME_FAILED"))
                .hasMessageContaining("Failed to get \"write\" lock");
        hosts.source.discardSource(ticket);

        // then pre-copy reported numbered rounds from QEMU's figures and converged when QEMU paused the guest
        assertThat(rounds).isNotEmpty();
        assertThat(rounds.getFirst().round()).isEqualTo(1);
        assertThat(rounds.getFirst().bytesSent()).isGreaterThan(1L << 20);
        assertThat(rounds).extracting(RoundStats::round).isSorted().doesNotHaveDuplicates();
        assertThat(converged.rounds()).isEqualTo(rounds.getLast().round());
        // and the pause came after the authorisation and before the resume, with the same vCPU state on both sides
        assertThat(finalCopy.pausedAt()).isAfterOrEqualTo(authorised).isBefore(resumed.resumedAt());
        assertThat(finalCopy.times().authorisationWaitUs()).isZero();
        assertThat(resumed.memoryChecksum()).startsWith("qemu-cpu-sha256:").isEqualTo(finalCopy.memoryChecksum());
        // and the source was left postmigrate, then its QEMU quit
        QemuHypervisor.Departure departure = hosts.source.departure(ticket.migrationId()).orElseThrow();
        assertThat(departure.runStateAtStop()).isEqualTo("postmigrate");
        assertThat(departure.migration().status()).isEqualTo("completed");
        assertThat(ProcessHandle.of(sourcePid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(hosts.source.vms()).isEmpty();
        assertThat(hosts.destination.vms()).extracting(v -> v.state()).containsExactly(VmState.RUNNING);
        // and the guest kept counting on the destination: no reboot, no lost or repeated ticks
        SerialConsole before = SerialConsole.read(sourceConsole);
        SerialConsole after = QemuGuests.await(hosts.destination.serialLog("SERVER2").orElseThrow(), Duration.ofSeconds(30),
                c -> QemuGuests.ticking(c, 5));
        assertThat(after.readyLines()).isZero();
        assertThat(after.firstTick().n()).isGreaterThan(before.lastTick().n()).isLessThanOrEqualTo(before.lastTick().n() + 2);
        assertThat(after.lastTick().passes()).isGreaterThan(before.lastTick().passes()); // and still dirties its memory
    }
}
