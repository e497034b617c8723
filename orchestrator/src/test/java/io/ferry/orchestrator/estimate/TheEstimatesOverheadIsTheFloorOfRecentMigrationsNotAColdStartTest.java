package io.ferry.orchestrator.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;
import org.junit.jupiter.api.Test;

class TheEstimatesOverheadIsTheFloorOfRecentMigrationsNotAColdStartTest {

    @Test
    void a_cold_first_migration_does_not_inflate_the_overhead_and_the_link_is_the_uncapped_ones_round_one() {
        // given a cold first migration (4 s outside its rounds), two warm ones (1.2 and 1.4 s), two uncapped, the cold
        // one's round 1 at half the rate
        List<Precopied> history = List.of(new Precopied(9_000, 100, 4_900, 0, 4_500),
                new Precopied(6_300, 100, 5_000, 1000, 1003), new Precopied(2_500, 100, 1_000, 0, 9_000));

        // when the estimate's history is read from them
        EstimateHistory read = EstimateHistory.of(history);

        // then the overhead lies between the warm ones, far from the cold one, and the link uncapped near what the warm
        // uncapped one measured (the quartiles interpolated)
        assertThat(read.overheads(0).fixedMs()).isEqualTo(1_300);
        assertThat(read.link(0)).isEqualTo(7_875);
        assertThat(read.link(1000)).isEqualTo(1000);
        assertThat(read.linkSource(1000)).isEqualTo("the policy's bandwidth cap");
    }

    @Test
    void without_any_migration_it_takes_the_defaults_and_says_so() {
        // given no completed migration
        EstimateHistory read = EstimateHistory.of(List.of());

        // then
        assertThat(read.overheads(0)).isEqualTo(Overheads.DEFAULT);
        assertThat(read.overheads(1000)).isEqualTo(Overheads.DEFAULT);
        assertThat(read.link(0)).isEqualTo(io.ferry.hypervisor.estimate.PrecopyModel.DEFAULT_LINK_MBPS);
        assertThat(read.linkSource(0)).contains("default");
    }
}
