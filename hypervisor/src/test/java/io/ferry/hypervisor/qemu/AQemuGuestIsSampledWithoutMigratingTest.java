package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.estimate.GuestSample;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AQemuGuestIsSampledWithoutMigratingTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void calc_dirty_rate_sees_the_guest_rewrite_its_memory_and_the_guest_runs_on() throws Exception {
        // given a guest rewriting 64 MiB in a loop
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        Path console = hosts.bootTicking(spec);

        // when it is sampled (QEMU's calc-dirty-rate over 1 s and 2 s)
        GuestSample sample = hosts.source.sample(spec.vmId(), Duration.ofSeconds(2)).orElseThrow();
        System.out.println("QEMU sample of a guest rewriting 64 MiB of 192 MB: " + sample);

        // then QEMU saw it dirty pages, within its memory, and the guest runs on, still counting
        assertThat(sample.dirtyPagesPerSec()).as("%s", sample).isPositive();
        assertThat(sample.workingSetPages()).isPositive().isLessThanOrEqualTo(sample.memoryPages());
        // and the working set it read is the 64 MiB the guest rewrites (16,384 pages), give or take QEMU's sampling and
        // the guest kernel's own writes: a guest writing back content a sampler has seen before reads far less
        assertThat(sample.workingSetPages()).as("%s", sample).isBetween(16_384 * 0.75, 16_384 * 1.5);
        assertThat(sample.memoryPages()).isEqualTo(192 * 256L);
        assertThat(hosts.source.vms().getFirst().state()).isEqualTo(VmState.RUNNING);
        long last = SerialConsole.read(console).lastTick().n();
        QemuGuests.await(console, Duration.ofSeconds(30), c -> c.lastTick().n() >= last + 3);
    }
}
