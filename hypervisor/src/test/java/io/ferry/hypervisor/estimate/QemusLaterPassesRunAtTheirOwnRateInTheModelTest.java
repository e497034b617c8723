package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * QEMU's passes after the first send only the pages its dirty bitmap names, several times faster than round 1, which
 * reads and checks every page of the guest: the model plays them at the rate ferry measured for them, so a guest whose
 * working set takes longer than the limit at round 1's rate converges in a short second pass, as it does in QEMU.
 */
class QemusLaterPassesRunAtTheirOwnRateInTheModelTest {
    // a 256 MB guest rewriting 64 MiB, sampled as QEMU samples it; round 1 last sent 30,000 zero pages
    private static final GuestSample REWRITING = new GuestSample(Instant.EPOCH, 3000, 100_000, 16_554, 65_536, 65_536,
            30_000);
    private static final CopyPolicy POLICY = new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000);
    private static final Overheads OVERHEADS = new Overheads(900, 60);

    @Test
    void a_working_set_beyond_the_limit_at_round_1s_rate_converges_in_a_short_second_pass() {
        // when the guest is estimated on an 850 Mbit/s link whose later passes ran 4 times as fast
        Estimate estimate = PrecopyModel.estimate(new Inputs(REWRITING, POLICY, 850, Driver.QEMU, OVERHEADS, 1, 4));

        // then it converges after round 2, which is short, with the set judged at the later passes' rate
        assertThat(estimate.converges()).isTrue();
        assertThat(estimate.rounds()).isEqualTo(2);
        assertThat(estimate.perRound().get(1).ms()).isLessThan(200);
        assertThat(estimate.why()).contains("at 3400 Mbit/s");
    }

    @Test
    void played_at_round_1s_rate_throughout_the_same_guest_would_never_converge() {
        // when every pass is played at round 1's rate (what the model did before, wrong here 2 times of 3)
        Estimate estimate = PrecopyModel.estimate(new Inputs(REWRITING, POLICY, 850, Driver.QEMU, OVERHEADS, 1, 1));

        // then its working set, about 640 ms at 850 Mbit/s, never fits twice the 300 ms limit
        assertThat(estimate.converges()).isFalse();
        assertThat(estimate.why()).contains("stops shrinking");
    }
}
