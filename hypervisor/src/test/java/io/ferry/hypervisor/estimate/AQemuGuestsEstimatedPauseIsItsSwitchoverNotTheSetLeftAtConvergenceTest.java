package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AQemuGuestsEstimatedPauseIsItsSwitchoverNotTheSetLeftAtConvergenceTest {
    // a 256 MB guest rewriting 32 MiB (8,192 pages) as fast as it can
    private static final GuestSample REWRITING = new GuestSample(Instant.EPOCH, 1000, 200_000, 8_192, 65_536, 65_536, 30_000);
    private static final CopyPolicy POLICY = new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000);
    private static final Overheads OVERHEADS = new Overheads(500, 60);

    @Test
    void qemu_pauses_with_what_its_last_pass_left_and_the_simulated_driver_with_the_set_left_at_convergence() {
        // when the same guest is estimated on a 1.3 Gbit/s link on each driver
        Estimate qemu = PrecopyModel.estimate(new Inputs(REWRITING, POLICY, 1300, Driver.QEMU, OVERHEADS));
        Estimate simulated = PrecopyModel.estimate(new Inputs(REWRITING, POLICY, 1300, Driver.SIMULATED, OVERHEADS));

        // then QEMU, held iterating under a 1 ms limit until the switchover is authorised, pauses for its switchover
        assertThat(qemu.converges()).isTrue();
        assertThat(qemu.downtimeMs()).isEqualTo(60);
        // and the simulated driver sends the set left when it converged (8,192 pages take about 200 ms at 1.3 Gbit/s)
        assertThat(simulated.converges()).isTrue();
        assertThat(simulated.downtimeMs()).isGreaterThan(60 + 150);
    }
}
