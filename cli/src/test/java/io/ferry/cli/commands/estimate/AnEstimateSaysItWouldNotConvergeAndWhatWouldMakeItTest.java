package io.ferry.cli.commands.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class AnEstimateSaysItWouldNotConvergeAndWhatWouldMakeItTest {
    private static final String NOT_CONVERGING = """
            {"vmId":"SERVER2","sourceHost":"hv-01","destinationHost":"hv-02","driver":"simulated","converges":false,
             "rounds":10,"totalMs":12400,"precopyMs":11800,"downtimeMs":0,"throttlePercent":0,"linkMbps":1000.0,
             "linkSource":"the policy's bandwidth cap","why":"the round limit (10) is reached with 61000 pages left",
             "remedies":{"bandwidthMbps":2900,"autoConvergeThrottlePercent":60,"maxDowntimeMs":2100},
             "policy":{"maxDowntimeMs":300,"bandwidthMbps":1000,"maxRounds":10,"autoConverge":false},
             "sample":{"sampledAt":"2026-11-30T01:00:00Z","windowMs":1000,"dirtyPagesPerSec":40000.0,
                       "workingSetPages":65536.0,"memoryPages":262144,"usedPages":157286,"zeroPages":15000},
             "note":null,"historyMigrations":2,"perRound":[]}""";

    @Test
    void the_verdict_the_reason_and_each_remedy_are_printed_and_the_options_become_the_query() throws Exception {
        // given a server whose model says SERVER2 would not converge at 1 Gbit/s
        try (StubFerry api = new StubFerry().on("GET /api/estimate", 200, NOT_CONVERGING)) {

            // when the operator asks for an estimate
            Run run = Run.ferry(api, "estimate", "--vm", "SERVER2", "--to", "hv-02", "--bandwidth", "1000",
                    "--max-downtime", "300");

            // then the options went as the query, and the answer says it would not converge and what would make it
            assertThat(api.received.getFirst().uri()).contains("vm=SERVER2").contains("to=hv-02")
                    .contains("bandwidthMbps=1000").contains("maxDowntimeMs=300");
            assertThat(run.out()).contains("does NOT converge (gives up after 10 rounds, 12.4 s)")
                    .contains("the round limit (10) is reached").contains("--bandwidth 2900")
                    .contains("--auto-converge (it would throttle the guest to 60 %)").contains("--max-downtime 2100");
            assertThat(run.exitCode()).isZero();
        }
    }
}
