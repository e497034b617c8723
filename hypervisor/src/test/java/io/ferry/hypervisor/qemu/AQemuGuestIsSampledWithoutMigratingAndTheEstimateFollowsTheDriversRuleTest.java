package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.estimate.Driver;
import io.ferry.hypervisor.estimate.Estimate;
import io.ferry.hypervisor.estimate.GuestSample;
import io.ferry.hypervisor.estimate.PrecopyModel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AQemuGuestIsSampledWithoutMigratingAndTheEstimateFollowsTheDriversRuleTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void calc_dirty_rate_sees_the_guest_rewrite_its_memory_and_the_estimate_foresees_it_outrunning_a_slow_link()
            throws Exception {
        // given a guest rewriting 64 MiB in a loop
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 192);
        hosts.bootTicking(spec);

        // when it is sampled (QEMU's calc-dirty-rate over 1 s and 2 s)
        GuestSample sample = hosts.source.sample(spec.vmId(), Duration.ofSeconds(2)).orElseThrow();

        // then QEMU saw it dirty pages, within its memory
        assertThat(sample.dirtyPagesPerSec()).as("%s", sample).isPositive();
        assertThat(sample.workingSetPages()).isPositive().isLessThanOrEqualTo(sample.memoryPages());
        assertThat(sample.memoryPages()).isEqualTo(192 * 256L);

        // and the model says it would not converge at 400 Mbit/s without auto-converge, which the driver confirms
        CopyPolicy policy = new CopyPolicy(300, 400, 10, false, Compression.NONE, 3_000);
        Estimate estimate = PrecopyModel.estimate(new PrecopyModel.Inputs(sample, policy, 400, Driver.QEMU,
                PrecopyModel.Overheads.DEFAULT));
        assertThat(estimate.converges()).as("%s", estimate).isFalse();
        MigrationTicket ticket = hosts.connect(spec);
        assertThatThrownBy(() -> hosts.source.precopy(ticket, policy, r -> { }))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.reason()).isEqualTo("NOT_CONVERGING"));
    }
}
