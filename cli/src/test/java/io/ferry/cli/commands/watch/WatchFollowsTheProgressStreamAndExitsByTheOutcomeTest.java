package io.ferry.cli.commands.watch;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchFollowsTheProgressStreamAndExitsByTheOutcomeTest {
    private static final String ROUND_1 = "{\"migrationId\":\"" + ID + "\",\"state\":\"PRECOPY\",\"stage\":\"PRECOPY\","
            + "\"round\":1,\"percentCopied\":50.0,\"throughputMbps\":940.0,\"etaSeconds\":2.5}";
    private static final String DONE = "{\"migrationId\":\"" + ID + "\",\"state\":\"COMPLETED\",\"stage\":\"NETWORK_CLEANUP\","
            + "\"totalMs\":3240,\"downtimeMs\":41}";

    @Test
    void a_completed_migration_prints_a_line_per_update_then_the_summary_and_exits_0() throws Exception {
        // given a stream of two updates ending in COMPLETED
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .events("GET /api/migrations/" + ID + "/progress", "progress", ROUND_1, DONE)) {

            // when watch runs with stdout not a terminal
            Run run = Run.ferry(api, "watch", ID);

            // then each update is its own line, then the final migration, and it exits 0
            List<String> lines = run.out().lines().toList();
            assertThat(lines.get(0)).isEqualTo("PRECOPY  round 1  [########........]  50%  940 Mbit/s  ETA 2.5 s");
            assertThat(lines.get(1)).isEqualTo("COMPLETED  total 3.2 s  downtime 41 ms");
            assertThat(run.out()).contains("state         COMPLETED").doesNotContain("\r");
            assertThat(run.exitCode()).isZero();
            assertThat(api.received.stream().filter(r -> r.uri().endsWith("/progress")).findFirst().orElseThrow()
                    .header("Accept")).startsWith("text/event-stream");
        }
    }

    @Test
    void a_rolled_back_migration_exits_1() throws Exception {
        // given a stream ending in ROLLED_BACK
        String failed = Fixtures.migration(ID, "ROLLED_BACK", "NOT_CONVERGING", 31_000L, null);
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, failed)
                .events("GET /api/migrations/" + ID + "/progress", "progress", ROUND_1,
                        "{\"state\":\"ROLLED_BACK\",\"failureReason\":\"NOT_CONVERGING\"}")) {

            // when watch runs
            Run run = Run.ferry(api, "watch", ID);

            // then the reason is shown and it exits 1
            assertThat(run.out()).contains("ROLLED_BACK  NOT_CONVERGING").contains("reason        NOT_CONVERGING");
            assertThat(run.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void json_prints_each_update_as_it_came_then_the_migration() throws Exception {
        // given a stream of two updates
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .events("GET /api/migrations/" + ID + "/progress", "progress", ROUND_1, DONE)) {

            // when watch --json runs
            Run run = Run.ferry(api, "watch", ID, "--json");

            // then stdout is JSON lines: the updates verbatim, then the migration
            List<String> lines = run.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo(ROUND_1);
            assertThat(lines.get(1)).isEqualTo(DONE);
            assertThat(lines.get(2)).startsWith("{\"migrationId\":\"" + ID + "\"").contains("\"state\":\"COMPLETED\"");
        }
    }
}
