package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class StatusSetsTheRecordedEstimateBesideTheActualTest {
    private static final String ESTIMATED = Fixtures.completed(ID).replace("\"bytesSent\":1073741824}", """
            "bytesSent":1073741824,"estimate":{"converges":true,"rounds":2,"totalMs":3000,"precopyMs":2500,\
            "downtimeMs":40,"throttlePercent":0,"linkMbps":1000.0,"why":"after 2 rounds 900 pages are left",\
            "sampledAt":"2026-11-30T01:00:00Z","bandwidthNeededMbps":null,"autoConvergeThrottlePercent":null,\
            "maxDowntimeNeededMs":null,"remedies":null,"actualTotalMs":3240,"actualDowntimeMs":41,"actualRounds":2,\
            "actualConverged":true,"verdictRight":true,"totalErrorRatio":-0.074}}""");

    @Test
    void an_ended_migration_shows_what_was_estimated_and_what_happened_with_the_verdict_and_the_error() throws Exception {
        // given a completed migration whose request recorded an estimate
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, ESTIMATED)) {

            // when its status is asked for
            Run run = Run.ferry(api, "status", ID);

            // then the estimate and the actual stand one above the other
            assertThat(run.out()).contains("estimate      converges in 2 rounds, 3.0 s, pause 40 ms")
                    .contains("actual        3.2 s, pause 41 ms, 2 rounds (verdict right, total -7 %)");
            assertThat(run.exitCode()).isZero();
        }
    }
}
