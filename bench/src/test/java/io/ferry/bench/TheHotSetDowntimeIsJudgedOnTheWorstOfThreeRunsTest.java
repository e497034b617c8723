package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TheHotSetDowntimeIsJudgedOnTheWorstOfThreeRunsTest {
    private static final String NAME = "hot-set downtime vs 50 ms";

    private static Run hotset(int attempt, long downtimeMs) {
        return Runs.completed("hotset-1g", attempt, "\"downtimeMs\":" + downtimeMs
                + ",\"totalMs\":5500,\"bytesSent\":625000000,\"memoryBytes\":1073741824");
    }

    @Test
    void one_run_over_50_ms_of_three_misses_it_however_good_the_median() {
        // given three hot-set runs at 1 Gbit/s, two well inside 50 ms
        List<Run> runs = List.of(hotset(1, 20), hotset(2, 22), hotset(3, 60));

        // when judged
        Targets.Target t = Runs.target(Targets.judge(runs, Double.NaN), 5, NAME, "hotset-1g");

        // then the worst, 60 ms, is 1.2 x the 50 ms limit
        assertThat(t.measured()).isEqualTo(60);
        assertThat(t.baseline()).isEqualTo(50);
        assertThat(t.ratio()).isCloseTo(1.2, within(1e-9));
        assertThat(t.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(t.aggregate()).isEqualTo("worst of 3");
    }

    @Test
    void three_runs_inside_50_ms_meet_it() {
        Targets.Target t = Runs.target(Targets.judge(List.of(hotset(1, 20), hotset(2, 49), hotset(3, 30)), Double.NaN), 5,
                NAME, "hotset-1g");

        assertThat(t.ratio()).isCloseTo(0.98, within(1e-9));
        assertThat(t.verdict()).isEqualTo(Targets.Verdict.MET);
    }

    @Test
    void fewer_than_three_runs_are_reported_not_judged() {
        Targets.Target t = Runs.target(Targets.judge(List.of(hotset(1, 20)), Double.NaN), 5, NAME, "hotset-1g");

        assertThat(t.verdict()).isEqualTo(Targets.Verdict.NOT_JUDGED);
        assertThat(t.note()).contains("1 of the 3 completed runs needed");
    }
}
