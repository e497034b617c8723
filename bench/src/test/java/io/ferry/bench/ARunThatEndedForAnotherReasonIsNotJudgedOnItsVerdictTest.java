package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ARunThatEndedForAnotherReasonIsNotJudgedOnItsVerdictTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Scenario HEAVY = Scenario.simulated("heavy-1g", "heavy", "heavy", 1000, List.of("--auto-converge"), 1024);

    @Test
    void a_run_whose_orchestrator_said_nothing_of_convergence_has_no_verdict_and_one_that_did_has_it() {
        // given a run rolled back for a lost host (the orchestrator judged no verdict), and one out of its completion
        // time in pre-copy, which the orchestrator judged not converged
        Run lost = new Run(HEAVY, 1, JSON.readTree("""
                {"state": "ROLLED_BACK", "failureReason": "HOST_UNREACHABLE", "totalMs": 0,
                 "estimate": {"converges": true, "totalMs": 120000, "actualTotalMs": 30000}}"""), null);
        Run outOfTime = new Run(HEAVY, 2, JSON.readTree("""
                {"state": "ROLLED_BACK", "failureReason": "COMPLETION_TIMEOUT", "totalMs": 0,
                 "estimate": {"converges": false, "totalMs": 136000, "actualTotalMs": 151000, "actualConverged": false}}"""),
                null);

        // when they are judged
        List<EstimateAccuracy.Judged> judged = EstimateAccuracy.judge(List.of(lost, outOfTime));

        // then the first has no verdict and the second a right one
        assertThat(judged).extracting(EstimateAccuracy.Judged::verdictRight).containsExactly(null, true);
    }
}
