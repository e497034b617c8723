package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class APlacedMigrationSaysWhereItWentAndWhyTest {
    private static final String PLACED = Fixtures.completed(ID).replace("\"bytesSent\":1073741824}", """
            "bytesSent":1073741824,"placement":{"chosen":"hv-02","why":"most memory free after SERVER2 (3000 MB)",\
            "ruledOut":[{"host":"hv-03","reason":"it lacks CPU features [avx2] that SERVER2 uses"}]}}""");

    @Test
    void submit_without_a_destination_sends_none_and_prints_the_choice_and_the_hosts_ruled_out() throws Exception {
        // given the server placed the migration on hv-02
        try (StubFerry api = new StubFerry().on("POST /api/migrations", 202, PLACED)) {

            // when it is submitted without --to
            Run run = Run.ferry(api, "submit", "--vm", "SERVER2");

            // then no destination was sent, and the answer says where it went, why, and what was ruled out
            assertThat(api.received.getFirst().body()).doesNotContain("destinationHost");
            assertThat(run.out()).contains("placed on hv-02: most memory free after SERVER2 (3000 MB)")
                    .contains("ruled out hv-03: it lacks CPU features [avx2] that SERVER2 uses");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void status_shows_the_placement() throws Exception {
        // given the same placed migration
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, PLACED)) {

            // when its status is asked for
            Run run = Run.ferry(api, "status", ID);

            // then
            assertThat(run.out()).contains("placed        most memory free after SERVER2 (3000 MB)")
                    .contains("  ruled out   hv-03: it lacks CPU features [avx2]");
        }
    }
}
