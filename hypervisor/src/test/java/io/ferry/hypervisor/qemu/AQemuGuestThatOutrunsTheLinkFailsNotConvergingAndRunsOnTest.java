package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmInfo;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AQemuGuestThatOutrunsTheLinkFailsNotConvergingAndRunsOnTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void a_dirty_set_that_stops_shrinking_ends_pre_copy_with_not_converging_and_the_migration_cancelled() throws Exception {
        // given a guest rewriting 64 MiB in a loop, far faster than a 400 Mbit/s link carries, and no auto-converge
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        Path console = hosts.bootTicking(spec);
        MigrationTicket ticket = hosts.connect(spec);
        List<RoundStats> rounds = new CopyOnWriteArrayList<>();

        // when pre-copy runs with a 3 s progress timeout
        CopyPolicy policy = new CopyPolicy(300, 400, 10, false, Compression.NONE, 3_000);

        // then it gives up with NOT_CONVERGING, saying the guest keeps running and what to do
        assertThatThrownBy(() -> hosts.source.precopy(ticket, policy, rounds::add))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("NOT_CONVERGING"))
                .hasMessageContaining("keeps running on the source")
                .hasMessageContaining("Allow auto-converge");
        // and it had reported rounds whose dirty set stayed above what 300 ms at 400 Mbit/s can carry
        assertThat(rounds.size()).isGreaterThanOrEqualTo(2);
        assertThat(rounds.getLast().dirtyPagesRemaining() * 4096 * 8 / 400e6).isGreaterThan(0.3);
        // and QEMU's migration was cancelled while the guest kept running, still counting
        assertThat(hosts.source.outgoingFigures(ticket.migrationId()).orElseThrow().dirtySyncCount()).isGreaterThan(1);
        assertThat(hosts.source.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        long last = SerialConsole.read(console).lastTick().n();
        QemuGuests.await(console, Duration.ofSeconds(30), c -> c.lastTick().n() >= last + 3);
    }
}
