package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.PrecopyModel.Inputs;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A guest sampled alone writes faster than beside its own migration. Measured here (2026-12-02, bench heavy-1g): a 1 GiB
 * guest rewriting all its memory was sampled at about 3.8 M fresh pages/s, and its rounds throttled 99 % at 1 Gbit/s
 * showed about 1.2 M/s; played at the sample's rate the estimate said it would never converge, and it converged in
 * 13 rounds. Its own recent throttled rounds say the rate a throttled guest is played at.
 */
class AThrottledGuestIsPlayedAtTheRateItsOwnThrottledRoundsShowedTest {
    private static final long PAGES = 262_144;
    private static final GuestSample SAMPLED_ALONE = new GuestSample(Instant.EPOCH, 1000, 3_800_000, PAGES, PAGES, PAGES, 0);
    private static final CopyPolicy GBIT_AUTO_CONVERGE = new CopyPolicy(300, 1000, 10, true, Compression.NONE, 30_000);

    /** That migration's rounds as recorded: ten that left all the memory dirty, then three throttled 99 %. */
    private static RecordedPrecopy heavy1g() {
        List<RecordedPrecopy.Round> rounds = new ArrayList<>();
        int[] throttle = {0, 0, 20, 30, 40, 50, 60, 70, 80, 90};
        for (int i = 0; i < 10; i++) {
            rounds.add(new RecordedPrecopy.Round(i + 1, PAGES, PAGES * 4104, 0, i == 9 ? 261_549 : PAGES, 9_500, throttle[i]));
        }
        rounds.add(new RecordedPrecopy.Round(11, 261_549, 261_549L * 4104, 0, 89_681, 9_190, 99));
        rounds.add(new RecordedPrecopy.Round(12, 89_681, 89_681L * 4104, 0, 45_451, 3_080, 99));
        rounds.add(new RecordedPrecopy.Round(13, 45_451, 45_451L * 4104, 0, 3_557, 1_560, 99));
        return new RecordedPrecopy(PAGES, rounds);
    }

    @Test
    void its_throttled_rounds_slow_the_sampled_rate_and_the_estimate_converges_as_the_guest_did() {
        // given the guest's last migration beside the rate its sample gave then
        double factor = SampledPrecopy.throttledRateFactor(List.of(new SampledPrecopy(3_800_000, heavy1g())));

        // when it is estimated again, with and without what those rounds said
        Estimate sampleAlone = PrecopyModel.estimate(new Inputs(SAMPLED_ALONE, GBIT_AUTO_CONVERGE, 1000, Driver.SIMULATED,
                Overheads.DEFAULT, 1, 1));
        Estimate learnt = PrecopyModel.estimate(new Inputs(SAMPLED_ALONE, GBIT_AUTO_CONVERGE, 1000, Driver.SIMULATED,
                Overheads.DEFAULT, 1, 1, factor));

        // then the rounds said about half the sample's rate or less (13 rounds' 1.56 s, under two 1 s periods, is left out)
        assertThat(factor).isBetween(0.25, 0.6);
        // and played at it the guest converges throttled 99 %, in about the rounds and time it took (13, 110.2 s)
        assertThat(sampleAlone.converges()).isFalse();
        assertThat(learnt.converges()).isTrue();
        assertThat(learnt.throttlePercent()).isEqualTo(99);
        assertThat(learnt.rounds()).isBetween(12, 17);
        assertThat(learnt.totalMs()).isBetween(95_000L, 125_000L);
    }

    @Test
    void its_unthrottled_rounds_are_played_at_the_sample_rate_whatever_the_factor() {
        // given a guest that converges without a throttle
        GuestSample quiet = new GuestSample(Instant.EPOCH, 1000, 5_000, PAGES, PAGES, PAGES, 0);

        // when estimated with and without a factor
        Estimate with = PrecopyModel.estimate(new Inputs(quiet, GBIT_AUTO_CONVERGE, 1000, Driver.SIMULATED, Overheads.DEFAULT, 1,
                1, 0.3));
        Estimate without = PrecopyModel.estimate(new Inputs(quiet, GBIT_AUTO_CONVERGE, 1000, Driver.SIMULATED,
                Overheads.DEFAULT, 1, 1));

        // then nothing changes
        assertThat(with).isEqualTo(without);
    }

    @Test
    void rounds_too_short_for_the_throttles_period_or_saturated_say_nothing() {
        // given rounds throttled 99 % of under two 1 s periods, and throttled rounds that left all the memory dirty
        RecordedPrecopy shortOnes = new RecordedPrecopy(PAGES, List.of(
                new RecordedPrecopy.Round(1, PAGES, PAGES * 4104, 0, PAGES, 1_300, 0),
                new RecordedPrecopy.Round(2, PAGES, PAGES * 4104, 0, PAGES, 900, 90),
                new RecordedPrecopy.Round(3, PAGES, PAGES * 4104, 0, 12_000, 700, 99),
                new RecordedPrecopy.Round(4, 12_000, 12_000L * 4104, 0, 2_000, 40, 99)));

        // when they are read, and with no migration at all
        // then no rate is read, and the factor stays 1
        assertThat(shortOnes.throttledRate()).isEmpty();
        assertThat(SampledPrecopy.throttledRateFactor(List.of(new SampledPrecopy(3_800_000, shortOnes)))).isEqualTo(1);
        assertThat(SampledPrecopy.throttledRateFactor(List.of())).isEqualTo(1);
    }
}
