package io.ferry.orchestrator.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link and the overheads come from the newest four migrations, so the estimate follows the hosts as they are now:
 * older ones, from before a load went or while the JVMs warmed, no longer count.
 */
class AnEstimateFollowsTheNewestFourMigrationsTest {

    @Test
    void migrations_older_than_the_newest_four_are_not_read() {
        // given, newest first, four migrations 0.7-0.9 s outside their rounds at 9-10 Gbit/s, then two from a slower
        // spell: 2.5 s outside, 3 Gbit/s
        List<Precopied> history = List.of(migration(700, 10_000), migration(800, 9_000), migration(900, 9_500),
                migration(750, 9_800), migration(2_500, 3_000), migration(2_500, 3_000));

        // when the history is read
        EstimateHistory read = EstimateHistory.of(history, "hv-01", "hv-02");

        // then the slower spell is gone from both (quartiles of the four, interpolated)
        assertThat(read.migrations()).isEqualTo(4);
        assertThat(read.overheads(0).fixedMs()).isEqualTo(738);
        assertThat(read.link(0)).isEqualTo(9_850);
    }

    private static Precopied migration(long outsideMs, double round1Mbps) {
        return new Precopied(outsideMs + 1_000 + 50, 50, 1_000, 0, round1Mbps, round1Mbps, 0, "hv-01", "hv-02");
    }
}
