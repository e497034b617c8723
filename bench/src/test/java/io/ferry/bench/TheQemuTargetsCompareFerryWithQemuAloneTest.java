package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TheQemuTargetsCompareFerryWithQemuAloneTest {
    private static final String DOWNTIME = "downtime vs QEMU alone";
    private static final String TOTAL = "total time vs QEMU alone";

    private static Run ferry(int attempt, long downtimeMs, long totalMs) {
        return Runs.completed(Scenario.QEMU_FERRY, attempt, "\"downtimeMs\":" + downtimeMs + ",\"totalMs\":" + totalMs);
    }

    private static Run alone(int attempt, long downtimeMs, long totalMs) {
        return Runs.completed(Scenario.QEMU_ALONE, attempt, "\"downtimeMs\":" + downtimeMs + ",\"totalMs\":" + totalMs);
    }

    @Test
    void the_medians_of_three_runs_each_side_give_the_ratios_judged_against_1_25_and_1_5() {
        // given three runs through ferry and three of QEMU alone, one outlier on each side
        List<Run> runs = List.of(ferry(1, 80, 5000), alone(1, 60, 3000), ferry(2, 95, 4500), alone(2, 76, 3400),
                ferry(3, 400, 9000), alone(3, 70, 20000));

        // when they are judged
        List<Targets.Target> targets = Targets.judge(runs, Double.NaN);

        // then downtime is 95 / 70 = 1.357 > 1.25 (missed) and total time 5000 / 3400 = 1.47 <= 1.5 (met)
        Targets.Target downtime = Runs.target(targets, 2, DOWNTIME, Scenario.QEMU_FERRY);
        assertThat(downtime.measured()).isEqualTo(95);
        assertThat(downtime.baseline()).isEqualTo(70);
        assertThat(downtime.ratio()).isCloseTo(95.0 / 70, within(1e-9));
        assertThat(downtime.limit()).isEqualTo(1.25);
        assertThat(downtime.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(downtime.aggregate()).isEqualTo("median of 3");
        Targets.Target total = Runs.target(targets, 2, TOTAL, Scenario.QEMU_FERRY);
        assertThat(total.ratio()).isCloseTo(5000.0 / 3400, within(1e-9));
        assertThat(total.verdict()).isEqualTo(Targets.Verdict.MET);
    }

    @Test
    void ferrys_total_is_taken_from_the_request_to_the_resume_the_span_qemu_alone_times() {
        // given runs through ferry that resumed the VM 900-1000 ms after the request and completed (network cleanup,
        // source stopped) 300 ms later, and QEMU alone at 800 ms from migrate to resume
        List<Run> runs = List.of(
                Runs.completed(Scenario.QEMU_FERRY, 1, "\"downtimeMs\":80,\"totalMs\":1200,\"resumedAfterMs\":900"),
                Runs.completed(Scenario.QEMU_FERRY, 2, "\"downtimeMs\":80,\"totalMs\":1250,\"resumedAfterMs\":950"),
                Runs.completed(Scenario.QEMU_FERRY, 3, "\"downtimeMs\":80,\"totalMs\":1300,\"resumedAfterMs\":1000"),
                alone(1, 70, 800), alone(2, 70, 800), alone(3, 70, 800));

        // when judged
        Targets.Target total = Runs.target(Targets.judge(runs, Double.NaN), 2, TOTAL, Scenario.QEMU_FERRY);

        // then the ratio is 950 / 800, and the full total's median is named beside it
        assertThat(total.measured()).isEqualTo(950);
        assertThat(total.ratio()).isCloseTo(950.0 / 800, within(1e-9));
        assertThat(total.verdict()).isEqualTo(Targets.Verdict.MET);
        assertThat(total.note()).contains("its median is 1250 ms");
    }

    @Test
    void fewer_than_three_runs_of_qemu_alone_are_reported_but_not_judged() {
        // given three runs through ferry and one of QEMU alone
        List<Run> runs = List.of(ferry(1, 80, 5000), ferry(2, 81, 5000), ferry(3, 82, 5000), alone(1, 70, 4000));

        // when judged, then the ratio is shown and the verdict withheld, saying why
        Targets.Target downtime = Runs.target(Targets.judge(runs, Double.NaN), 2, DOWNTIME, Scenario.QEMU_FERRY);
        assertThat(downtime.ratio()).isCloseTo(81.0 / 70, within(1e-9));
        assertThat(downtime.verdict()).isEqualTo(Targets.Verdict.NOT_JUDGED);
        assertThat(downtime.met()).isNull();
        assertThat(downtime.note()).contains("1 completed runs, 3 needed");
    }

    @Test
    void without_qemu_alone_in_the_run_the_comparison_is_not_judged() {
        List<Run> runs = List.of(ferry(1, 80, 5000), ferry(2, 81, 5000), ferry(3, 82, 5000));

        Targets.Target total = Runs.target(Targets.judge(runs, Double.NaN), 2, TOTAL, Scenario.QEMU_FERRY);

        assertThat(total.verdict()).isEqualTo(Targets.Verdict.NOT_JUDGED);
        assertThat(total.ratio()).isNaN();
        assertThat(total.note()).contains("no completed qemu-alone run");
    }

    @Test
    void a_migration_through_ferry_that_failed_misses_the_target() {
        List<Run> runs = List.of(ferry(1, 80, 5000), Runs.ended(Scenario.QEMU_FERRY, 2, "FAILED", "\"totalMs\":9000"),
                ferry(3, 82, 5000), alone(1, 70, 4000), alone(2, 70, 4000), alone(3, 70, 4000));

        Targets.Target downtime = Runs.target(Targets.judge(runs, Double.NaN), 2, DOWNTIME, Scenario.QEMU_FERRY);

        assertThat(downtime.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(downtime.note()).contains("#2 FAILED");
    }
}
