package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class SubmitPrintsTheServersMigrationNotItsOwnFlagsTest {

    @Test
    void a_request_id_sent_again_prints_the_migration_the_server_made_first() throws Exception {
        // given the server answers with the migration this request id made before: SERVER2 hv-01 -> hv-02, COMPLETED
        try (StubFerry api = new StubFerry().on("POST /api/migrations", 202, Fixtures.completed(ID))) {

            // when the request id is submitted again with flags naming another VM and destination
            Run run = Run.ferry(api, "submit", "--vm", "OTHER", "--to", "hv-01", "--request-id", "req-1");

            // then the line shows the server's VM, route and state, not the flags
            assertThat(run.out()).contains("submitted migration " + ID + " (request req-1): SERVER2 hv-01 -> hv-02, "
                    + "COMPLETED").doesNotContain("OTHER").doesNotContain("-> hv-01");
            assertThat(run.exitCode()).isZero();
        }
    }
}
