package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QEMU alone into preallocated memory is QEMU's own way to what ferry's kept memory does: its figures are said beside
 * the verdicts, which stay on plain QEMU alone.
 */
class QemuAloneIntoPreallocatedMemoryIsSaidBesideTheJudgedBaselineTest {

    private static Run run(String scenario, int attempt, long downtimeMs, long resumedAfterMs) {
        return Runs.completed(scenario, attempt, "\"downtimeMs\":" + downtimeMs + ",\"totalMs\":" + resumedAfterMs
                + ",\"resumedAfterMs\":" + resumedAfterMs);
    }

    @Test
    void both_qemu_targets_are_judged_on_qemu_alone_and_name_the_preallocated_runs_beside() {
        // given ferry at 2,000 ms and 80 ms down, QEMU alone at 1,600 ms and 64 ms, preallocated at 1,000 ms and 50 ms
        List<Run> runs = List.of(run(Scenario.QEMU_FERRY, 1, 80, 2000), run(Scenario.QEMU_ALONE, 1, 64, 1600),
                run(Scenario.QEMU_ALONE_PREALLOC, 1, 50, 1000));

        // when judged
        List<Targets.Target> targets = Targets.judge(runs, Double.NaN);
        Targets.Target total = Runs.target(targets, 2, "total time vs QEMU alone", Scenario.QEMU_FERRY);
        Targets.Target downtime = Runs.target(targets, 2, "downtime vs QEMU alone", Scenario.QEMU_FERRY);

        // then the ratios are against QEMU alone, and the notes give the ratios against preallocated memory
        assertThat(total.ratio()).isCloseTo(1.25, within(1e-9));
        assertThat(downtime.ratio()).isCloseTo(1.25, within(1e-9));
        assertThat(total.note()).contains("against QEMU alone into preallocated memory (qemu-alone-prealloc, median "
                + "1000 ms of 1 runs) ferry's median is 2.00 of it");
        assertThat(downtime.note()).contains("median 50 ms of 1 runs) ferry's median is 1.60 of it");
    }

    @Test
    void without_preallocated_runs_nothing_is_said_of_them() {
        List<Run> runs = List.of(run(Scenario.QEMU_FERRY, 1, 80, 2000), run(Scenario.QEMU_ALONE, 1, 64, 1600));
        Targets.Target downtime = Runs.target(Targets.judge(runs, Double.NaN), 2, "downtime vs QEMU alone",
                Scenario.QEMU_FERRY);
        assertThat(downtime.note()).doesNotContain("preallocated");
    }
}
