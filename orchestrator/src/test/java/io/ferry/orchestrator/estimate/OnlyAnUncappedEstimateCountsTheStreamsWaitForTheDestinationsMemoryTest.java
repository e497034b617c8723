package io.ferry.orchestrator.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlyAnUncappedEstimateCountsTheStreamsWaitForTheDestinationsMemoryTest {

    @Test
    void a_capped_estimate_learnt_from_uncapped_migrations_leaves_their_wait_out() {
        // given only uncapped migrations, each 1.4 s outside its rounds and pause, 0.45 s of it waiting before round 1
        // for the destination to fault in its memory
        List<Precopied> history = List.of(new Precopied(2_000, 50, 550, 0, 12_000, 12_000, 450),
                new Precopied(2_050, 50, 600, 0, 11_000, 11_000, 450));

        // when the estimate's history is read from them
        EstimateHistory read = EstimateHistory.of(history);

        // then an uncapped estimate counts the wait and a capped one, whose stream starts at once, does not
        assertThat(read.overheads(0).fixedMs()).isEqualTo(1_400);
        assertThat(read.overheads(1_000).fixedMs()).isEqualTo(950);
    }

    @Test
    void each_kind_counts_the_wait_its_own_migrations_had() {
        // given an uncapped migration that waited 0.45 s and a capped one that waited 20 ms, both 0.95 s otherwise
        List<Precopied> history = List.of(new Precopied(2_000, 50, 550, 0, 12_000, 12_000, 450),
                new Precopied(9_600, 50, 8_580, 1_000, 990, 990, 20));

        // when
        EstimateHistory read = EstimateHistory.of(history);

        // then
        assertThat(read.overheads(0).fixedMs()).isEqualTo(1_400);
        assertThat(read.overheads(1_000).fixedMs()).isEqualTo(970);
    }
}
