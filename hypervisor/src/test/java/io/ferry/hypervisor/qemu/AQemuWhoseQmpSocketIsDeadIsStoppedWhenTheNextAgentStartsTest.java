package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A QEMU left by an earlier agent that no longer answers on its QMP socket cannot be driven: it is stopped, not adopted. */
class AQemuWhoseQmpSocketIsDeadIsStoppedWhenTheNextAgentStartsTest extends SuccessiveAgents {
    @Test
    void it_is_killed_and_its_files_are_cleaned_and_nothing_is_listed() throws Exception {
        // given a guest left running by an agent that stopped, whose QMP socket has since gone
        VmSpec spec = QemuGuests.spec(dir.resolve("SERVER2.qcow2"), 256);
        first = QemuGuests.keepingHost(runDir, 0);
        first.boot(spec);
        first.inventoryBooted();
        long pid = first.pid("SERVER2").orElseThrow();
        first.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isEqualTo(Optional.of(true));
        Files.delete(runDir.resolve("SERVER2.qmp"));

        // when the next agent starts on that run directory
        second = QemuGuests.keepingHost(runDir, 0);

        // then it lists no guest, that QEMU is stopped, and neither its description nor its pid file is left
        assertThat(second.vms()).isEmpty();
        QemuGuests.awaitTrue("QEMU pid " + pid + " to be stopped", Duration.ofSeconds(30),
                () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        try (Stream<Path> left = Files.list(runDir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".guest") || name.endsWith(".pid"));
        }
    }
}
