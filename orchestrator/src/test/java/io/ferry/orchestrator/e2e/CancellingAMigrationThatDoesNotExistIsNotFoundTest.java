package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStackExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cancel reads existence from its one decision now, not from the read model first: the answer must not change. */
class CancellingAMigrationThatDoesNotExistIsNotFoundTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack();

    @Test
    void the_answer_is_a_404_naming_the_id_as_written_and_nothing_is_recorded() throws Exception {
        // given an id no migration has, written in upper case
        String id = UUID.randomUUID().toString().toUpperCase();

        // when an operator cancels it
        var cancel = stack.post("/api/migrations/" + id + "/cancel", "{}");

        // then it is not found, with the id as the caller wrote it and how to find the real ones
        assertThat(cancel.status()).isEqualTo(404);
        assertThat(cancel.body().get("reason").asString()).isEqualTo("NOT_FOUND");
        assertThat(cancel.body().get("detail").asString())
                .isEqualTo("no migration " + id + "; list them with GET /api/migrations");
        // and the log holds nothing for it
        assertThat(stack.jdbc().queryForObject("select count(*) from migration_events", Integer.class)).isZero();
    }

    @Test
    void an_id_that_is_no_uuid_is_a_400_naming_it() throws Exception {
        // when an operator cancels something that cannot be a migration id
        var cancel = stack.post("/api/migrations/not-an-id/cancel", "{}");

        // then it is refused as a bad argument
        assertThat(cancel.status()).isEqualTo(400);
        assertThat(cancel.body().get("detail").asString()).contains("not-an-id");
    }
}
