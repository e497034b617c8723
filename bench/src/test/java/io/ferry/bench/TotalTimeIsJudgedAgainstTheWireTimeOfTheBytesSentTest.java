package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TotalTimeIsJudgedAgainstTheWireTimeOfTheBytesSentTest {
    private static final String NAME = "total time vs wire time of bytes sent";

    private static Run run(String scenario, int attempt, long totalMs, long bytesSent) {
        return Runs.completed(scenario, attempt, "\"totalMs\":" + totalMs + ",\"bytesSent\":" + bytesSent
                + ",\"downtimeMs\":10,\"memoryBytes\":1073741824");
    }

    @Test
    void the_median_of_each_runs_total_over_its_own_wire_time_is_held_to_1_10() {
        // given idle runs sending 625 MB (5 s at 1 Gbit/s) and hot-set runs sending 700 MB (5.6 s)
        List<Run> runs = List.of(run("idle-1g", 1, 5400, 625_000_000), run("idle-1g", 2, 5600, 625_000_000),
                run("idle-1g", 3, 5450, 625_000_000), run("hotset-1g", 1, 6000, 700_000_000),
                run("hotset-1g", 2, 6400, 700_000_000), run("hotset-1g", 3, 6300, 700_000_000));

        // when judged
        List<Targets.Target> targets = Targets.judge(runs, Double.NaN);

        // then idle is 5450 / 5000 = 1.09 (met) and the hot set 6300 / 5600 = 1.125 (missed)
        Targets.Target idle = Runs.target(targets, 4, NAME, "idle-1g");
        assertThat(idle.ratio()).isCloseTo(1.09, within(1e-9));
        assertThat(idle.baseline()).isCloseTo(5000, within(1e-9));
        assertThat(idle.verdict()).isEqualTo(Targets.Verdict.MET);
        Targets.Target hotset = Runs.target(targets, 4, NAME, "hotset-1g");
        assertThat(hotset.ratio()).isCloseTo(1.125, within(1e-9));
        assertThat(hotset.verdict()).isEqualTo(Targets.Verdict.MISSED);
    }
}
