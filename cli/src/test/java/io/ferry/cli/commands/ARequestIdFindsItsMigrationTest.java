package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static io.ferry.cli.testing.Fixtures.OTHER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import org.junit.jupiter.api.Test;

class ARequestIdFindsItsMigrationTest {

    @Test
    void a_request_id_is_looked_up_with_the_request_id_filter() throws Exception {
        // given a migration submitted with request id nightly-42
        try (StubFerry api = new StubFerry().on("GET /api/migrations?requestId=nightly-42", 200,
                Fixtures.page(1, Fixtures.completed(ID))).on("GET /api/migrations/" + ID + "/history", 200, "[]")) {

            // when its history is asked for by request id
            Run run = Run.ferry(api, "history", "nightly-42");

            // then the migration was found by request id and its history read by migration id
            assertThat(api.received).extracting(StubFerry.Received::uri)
                    .containsExactly("/api/migrations?requestId=nightly-42", "/api/migrations/" + ID + "/history");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void a_uuid_that_is_no_migration_id_is_tried_as_a_request_id() throws Exception {
        // given a migration whose request id is a UUID (the REST default) other than its migration id
        try (StubFerry api = new StubFerry()
                .on("GET /api/migrations/" + OTHER_ID, 404, Fixtures.problem(404, "not found", "no migration", "NOT_FOUND"))
                .on("GET /api/migrations?requestId=" + OTHER_ID, 200, Fixtures.page(1, Fixtures.completed(ID)))) {

            // when status is asked for with that request id
            Run run = Run.ferry(api, "status", OTHER_ID);

            // then the migration is shown
            assertThat(run.out()).contains("migration     " + ID);
            assertThat(run.exitCode()).isZero();
        }
    }
}
