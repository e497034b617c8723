package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static io.ferry.cli.testing.Fixtures.OTHER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesShowOneAlignedRowPerItemTest {

    @Test
    void list_shows_a_row_per_migration_in_human_units_and_says_where_the_next_page_is() throws Exception {
        // given a first page of 2 migrations out of 3
        String page = Fixtures.page(3, Fixtures.completed(ID),
                Fixtures.migration(OTHER_ID, "ROLLED_BACK", "NOT_CONVERGING", 31_000L, null)).replace("\"size\":50", "\"size\":2");
        try (StubFerry api = new StubFerry().on("GET /api/migrations", 200, page)) {

            // when list runs with filters
            Run run = Run.ferry(api, "list", "--vm", "SERVER2", "--outcome", "COMPLETED", "--size", "2");

            // then the filters went as query parameters
            assertThat(api.received.getFirst().uri()).isEqualTo("/api/migrations?vmId=SERVER2&outcome=COMPLETED&page=0&size=2");
            // and each migration is a row under aligned headers, with the next page named
            List<String> lines = run.out().lines().toList();
            assertThat(lines.get(0)).startsWith("MIGRATION").contains("STATE").contains("DOWNTIME");
            assertThat(lines.get(1)).startsWith(ID).contains("COMPLETED").contains("3.2 s").contains("41 ms")
                    .contains("2026-05-04 10:15:30Z");
            assertThat(lines.get(2)).startsWith(OTHER_ID).contains("ROLLED_BACK").contains("NOT_CONVERGING")
                    .contains("31.0 s");
            assertThat(lines.get(0).indexOf("STATE")).isEqualTo(lines.get(1).indexOf("COMPLETED"))
                    .isEqualTo(lines.get(2).indexOf("ROLLED_BACK"));
            assertThat(lines.get(3)).isEqualTo("1-2 of 3; next: --page 1");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void status_shows_the_migration_as_a_block() throws Exception {
        // given a completed migration
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))) {

            // when status runs
            Run run = Run.ferry(api, "status", ID);

            // then it reads label by label
            assertThat(run.out()).contains("state         COMPLETED")
                    .contains("vm            SERVER2  hv-01 -> hv-02")
                    .contains("requested by  ops via CLI")
                    .contains("total time    3.2 s")
                    .contains("downtime      41 ms")
                    .contains("pages sent    262,144")
                    .contains("bytes sent    1.00 GB");
        }
    }

    @Test
    void hosts_show_their_mode_memory_in_mb_and_cpu_features_joined() throws Exception {
        // given one host, in maintenance
        String hosts = "[{\"host\":\"hv-01\",\"driver\":\"simulated\",\"totalMemoryMb\":16384,\"freeMemoryMb\":15360,"
                + "\"cpuFeatures\":[\"sse4_2\",\"avx2\"],\"lastHeartbeatAt\":\"2026-05-04T10:15:30Z\","
                + "\"status\":\"UNREACHABLE\",\"mode\":\"MAINTENANCE\"}]";
        try (StubFerry api = new StubFerry().on("GET /api/hosts", 200, hosts)) {

            // when hosts runs
            Run run = Run.ferry(api, "hosts");

            // then
            assertThat(run.out().lines()).containsExactly(
                    "HOST   STATUS       MODE         DRIVER        MEMORY       FREE  LAST HEARTBEAT        CPU FEATURES",
                    "hv-01  UNREACHABLE  MAINTENANCE  simulated  16,384 MB  15,360 MB  2026-05-04 10:15:30Z  sse4_2,avx2");
        }
    }
}
