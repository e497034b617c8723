package io.ferry.orchestrator.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How much faster than round 1 the later rounds ran is learnt from the uncapped migrations that had them (QEMU's later
 * passes send only dirty pages): the median of their ratios; capped ones run at the cap and one-round ones say nothing.
 */
class TheLaterRoundsRateIsLearntFromUncappedMigrationsTest {

    private static Precopied migration(int capMbps, double round1Mbps, double laterRoundsMbps) {
        return new Precopied(2_800, 80, 1_600, capMbps, round1Mbps, round1Mbps, 100, "hv-01", "hv-02", laterRoundsMbps);
    }

    @Test
    void the_factor_is_the_median_of_the_uncapped_migrations_later_rounds_over_their_round_1() {
        // given two uncapped migrations whose later rounds ran 4 and 3 times as fast as their round 1, a capped one, and
        // one that converged in its first round
        List<Precopied> rows = List.of(migration(0, 900, 3_600), migration(0, 1_000, 3_000), migration(500, 500, 500),
                migration(0, 950, 0));

        // then the factor is 3.5
        assertThat(EstimateHistory.of(rows).laterRoundsFactor()).isCloseTo(3.5, within(1e-9));
    }

    @Test
    void without_a_later_round_on_record_the_factor_is_1() {
        assertThat(EstimateHistory.of(List.of(migration(0, 950, 0))).laterRoundsFactor()).isEqualTo(1);
        assertThat(EstimateHistory.of(List.of()).laterRoundsFactor()).isEqualTo(1);
    }
}
