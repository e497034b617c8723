package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The simulated driver's later rounds, like QEMU's, send only what was dirtied and ran faster than round 1 here: a
 * 1 GiB guest rewriting all its memory under auto-converge was estimated 46-66 % long while the model played them at
 * round 1's rate. The model plays them at the rate measured for them on an uncapped link; a capped one runs at its cap.
 */
class TheSimulatedDriversLaterRoundsRunAtTheirMeasuredRateTooTest {
    // 1 GiB, every page used and rewritten, far faster than any link carries it
    private static final GuestSample REWRITING_ALL = new GuestSample(Instant.EPOCH, 3000, 1_000_000, 262_144, 262_144,
            262_144, 0);
    private static final Overheads OVERHEADS = new Overheads(600, 30);

    @Test
    void uncapped_the_later_rounds_take_their_measured_rate() {
        // given an uncapped link whose later rounds ran 1.6 times as fast as round 1
        CopyPolicy uncapped = new CopyPolicy(300, 0, 10, true, Compression.NONE, 30_000);

        // when the guest is estimated with that rate and without it
        Estimate measured = PrecopyModel.estimate(new Inputs(REWRITING_ALL, uncapped, 6000, Driver.SIMULATED, OVERHEADS, 1, 1.6));
        Estimate roundOnes = PrecopyModel.estimate(new Inputs(REWRITING_ALL, uncapped, 6000, Driver.SIMULATED, OVERHEADS, 1, 1));

        // then both converge throttled, and round 2 on takes 1/1.6 of the time
        assertThat(measured.converges()).isTrue();
        assertThat(roundOnes.converges()).isTrue();
        assertThat(measured.perRound().get(0).ms()).isEqualTo(roundOnes.perRound().get(0).ms());
        assertThat(measured.perRound().get(1).ms()).isCloseTo(Math.round(roundOnes.perRound().get(1).ms() / 1.6),
                org.assertj.core.data.Offset.offset(1L));
        assertThat(measured.precopyMs()).isLessThan(roundOnes.precopyMs());
    }

    @Test
    void capped_every_round_runs_at_the_cap() {
        // given a 1 Gbit/s cap
        CopyPolicy capped = new CopyPolicy(300, 1000, 10, true, Compression.NONE, 30_000);

        // when estimated with a later-rounds rate measured on uncapped links
        Estimate withFactor = PrecopyModel.estimate(new Inputs(REWRITING_ALL, capped, 1000, Driver.SIMULATED, OVERHEADS, 1, 1.6));
        Estimate without = PrecopyModel.estimate(new Inputs(REWRITING_ALL, capped, 1000, Driver.SIMULATED, OVERHEADS, 1, 1));

        // then the rate is not used
        assertThat(withFactor).isEqualTo(without);
    }
}
