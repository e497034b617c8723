package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TheEstimateIsJudgedOnEachScenariosMedianErrorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Scenario UNIFORM = Scenario.simulated("uniform-uncapped", "uniform", "uniform:5000", 0, List.of(), 1024);

    private static Run run(int attempt, long estimatedMs, long actualMs) {
        return new Run(UNIFORM, attempt, JSON.readTree("""
                {"state": "COMPLETED", "totalMs": %d, "estimate": {"converges": true, "totalMs": %d,
                 "actualTotalMs": %d, "actualConverged": true}}""".formatted(actualMs, estimatedMs, actualMs)), null);
    }

    @Test
    void one_run_off_by_the_machines_own_spread_does_not_decide_the_scenario() {
        // given three runs of one scenario, estimated 1,200 ms each, one of which took 1,850 ms
        List<EstimateAccuracy.Judged> judged = EstimateAccuracy.judge(List.of(run(1, 1_200, 1_100), run(2, 1_200, 1_850),
                run(3, 1_200, 1_050)));

        // when the scenario is judged
        double median = EstimateAccuracy.medianError(judged, UNIFORM);

        // then its median error (+9 %) is within the target, and the table says which runs were off and the verdict
        assertThat(median).isBetween(0.09, 0.10);
        String table = EstimateAccuracy.table(judged);
        assertThat(table).contains("total within ±20 %: 2 of 3 runs; of 1 scenarios by their median error, 1 (met)")
                .contains("verdict right: 3 of 3 runs (met)").contains("uniform-uncapped  median error +9%");
    }
}
