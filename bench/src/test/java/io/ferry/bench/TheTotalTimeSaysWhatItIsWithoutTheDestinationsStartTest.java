package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QEMU alone's total leaves out its destination's start, ferry's holds its skeleton's: the note beside the verdict says
 * what ferry's total is without that start, while the verdict stays on the whole span.
 */
class TheTotalTimeSaysWhatItIsWithoutTheDestinationsStartTest {

    private static Run ferry(int attempt, long resumedAfterMs) {
        return Runs.completed(Scenario.QEMU_FERRY, attempt, "\"downtimeMs\":80,\"totalMs\":" + (resumedAfterMs + 300)
                + ",\"resumedAfterMs\":" + resumedAfterMs);
    }

    private static Run alone(int attempt, long destinationStartMs) {
        return Runs.completed(Scenario.QEMU_ALONE, attempt, "\"downtimeMs\":70,\"totalMs\":1000,\"destinationStartMs\":"
                + destinationStartMs);
    }

    @Test
    void the_median_destination_start_is_taken_off_ferrys_median_total_in_the_note() {
        // given ferry at 1,900-2,100 ms from request to resume, and QEMU alone at 1,000 ms whose destinations took
        // 300-400 ms to start
        List<Run> runs = List.of(ferry(1, 1900), ferry(2, 2000), ferry(3, 2100), alone(1, 300), alone(2, 350),
                alone(3, 400));

        // when judged
        Targets.Target total = Runs.target(Targets.judge(runs, Double.NaN), 2, "total time vs QEMU alone",
                Scenario.QEMU_FERRY);

        // then the verdict is on the whole span (2,000 / 1,000) and the note gives 2,000 - 350 = 1,650 ms, 1.65
        assertThat(total.ratio()).isCloseTo(2.0, within(1e-9));
        assertThat(total.verdict()).isEqualTo(Targets.Verdict.MISSED);
        assertThat(total.note()).contains("took a median 350 ms: ferry's total less it is 1650 ms, 1.65 of QEMU alone's");
    }
}
