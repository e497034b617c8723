package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An agent that stops leaves its QEMU guests running; the next agent on the same run directory takes them back. */
class AQemuGuestOutlivesItsAgentAndTheNextAgentReadoptsItUnrebootedTest extends SuccessiveAgents {
    @Test
    void the_same_qemu_runs_on_listed_running_and_its_tick_counter_continues() throws Exception {
        // given a guest booted and ticking under an agent that keeps its guests
        VmSpec spec = QemuGuests.spec(dir.resolve("SERVER2.qcow2"), 256);
        first = QemuGuests.keepingHost(runDir, 8);
        first.boot(spec);
        first.inventoryBooted();
        long pid = first.pid("SERVER2").orElseThrow();
        Path console = first.serialLog("SERVER2").orElseThrow();
        QemuGuests.await(console, Duration.ofSeconds(60), c -> c.readyLines() == 1 && QemuGuests.ticking(c, 3));

        // when that agent stops and a new one starts on the same run directory
        first.close();
        SerialConsole before = SerialConsole.read(console);
        second = QemuGuests.keepingHost(runDir, 8);

        // then the same QEMU runs the guest, listed RUNNING, and the new agent does not boot the inventory again
        assertThat(second.pid("SERVER2")).contains(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isEqualTo(Optional.of(true));
        assertThat(second.vms()).extracting(v -> v.spec().vmId(), v -> v.state())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SERVER2", VmState.RUNNING));
        assertThat(second.vms().getFirst().spec()).isEqualTo(spec);
        assertThat(second.bootsInventory()).isFalse();
        // and the guest was not rebooted: no second READY, and its ticks go on from where they were
        SerialConsole after = QemuGuests.await(console, Duration.ofSeconds(30),
                c -> c.hasTicks() && c.lastTick().n() > before.lastTick().n() + 2);
        assertThat(after.readyLines()).isEqualTo(1);
        assertThat(after.ticks()).extracting(SerialConsole.Tick::n).isSorted().doesNotHaveDuplicates();
        // and the new agent drives it over QMP
        assertThat(second.serialLog("SERVER2")).contains(console);
    }
}
