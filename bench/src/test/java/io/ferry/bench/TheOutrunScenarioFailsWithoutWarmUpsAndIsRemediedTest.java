package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's point 3 wants a NOT_CONVERGING bench scenario re-run under the policy its what-if suggests: outrun-1g is
 * the write-heavy guest at 1 Gbit/s without auto-converge. Its warm-up legs would fail as it does, so it runs none.
 */
class TheOutrunScenarioFailsWithoutWarmUpsAndIsRemediedTest {

    @Test
    void its_demo_runs_no_warm_up_no_auto_converge_and_asks_for_the_remedy_while_heavy_1g_warms_up() {
        // given the bench's demo runner with five warm-ups
        DemoRunner runner = new DemoRunner(Path.of("ferry"), Path.of("target"), 5);

        // when it builds the commands of outrun-1g and heavy-1g
        List<String> outrun = runner.command(Runs.scenario(Scenario.OUTRUN));
        List<String> heavy = runner.command(Runs.scenario("heavy-1g"));

        // then outrun-1g runs the heavy guest at 1 Gbit/s, with no warm-up and no auto-converge, and tries the remedy
        assertThat(String.join(" ", outrun)).contains("--remedy", "--warm-up 0 ", "--workload heavy", "--bandwidth 1000")
                .doesNotContain("--auto-converge");
        assertThat(String.join(" ", heavy)).contains("--warm-up 5 ", "--auto-converge");
        assertThat(Runs.scenario(Scenario.OUTRUN).matches("outrun")).isTrue();
    }
}
