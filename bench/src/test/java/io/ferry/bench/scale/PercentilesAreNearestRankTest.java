package io.ferry.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesAreNearestRankTest {
    @Test
    void given_a_hundred_values_when_summarised_then_p50_and_p99_are_the_50th_and_99th_smallest() {
        List<Integer> values = IntStream.rangeClosed(1, 100).map(i -> 101 - i).boxed().toList(); // unsorted

        Percentiles p = Percentiles.of(values);

        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
    }

    @Test
    void given_few_values_when_summarised_then_p99_is_the_largest_measured_not_an_interpolation() {
        Percentiles p = Percentiles.of(new double[] {3, 1, 7});

        assertThat(p.p50()).isEqualTo(3);
        assertThat(p.p99()).isEqualTo(7);
    }

    @Test
    void given_no_values_when_summarised_then_every_figure_is_unknown() {
        Percentiles p = Percentiles.of(List.of());

        assertThat(p.count()).isZero();
        assertThat(p.p99()).isNaN();
    }
}
