package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AMigrationReplaysToItsRecordedHistoryTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "uniform:2000")
            .agent("hv-02", "", "idle").inventory(2, 1);
    private static String migrationId;
    private static int events;

    @BeforeAll
    static void startStackAndMigrate() throws Exception {
        String requestId = "replay-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(requestId));
        migrationId = submitted.body().get("migrationId").asString();
        FerryStack.await("the migration to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(requestId)));
        events = stack.jdbc().queryForObject("select count(*) from migration_events where migration_id = ?::uuid",
                Integer.class, migrationId);
    }

    @Test
    void replaying_the_log_through_todays_state_machine_finds_no_divergence() throws Exception {
        // given a completed migration whose inputs were recorded
        // when it is replayed
        var replay = stack.get("/api/migrations/" + migrationId + "/replay");

        // then every event was folded, the state after each is shown, and today's decide agrees with every input
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("inputsRecorded").asBoolean()).isTrue();
        assertThat(replay.body().get("consistent").asBoolean()).as("divergences: %s", replay.body().get("divergences"))
                .isTrue();
        assertThat(replay.body().get("steps")).hasSize(events);
        assertThat(replay.body().get("steps").get(0).get("stateAfter").asString()).isEqualTo("QUEUED");
        assertThat(replay.body().get("finalState").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void replay_until_a_version_shows_the_state_at_that_point() throws Exception {
        // when the replay stops at version 3
        var replay = stack.get("/api/migrations/" + migrationId + "/replay?until=3");

        // then it shows three steps, ending in setup
        assertThat(replay.body().get("steps")).hasSize(3);
        assertThat(replay.body().get("finalState").asString()).isEqualTo("SETUP");
    }

    @Test
    void an_exported_history_replays_the_same_elsewhere() throws Exception {
        // given the migration exported to a JSON document
        var export = stack.get("/api/migrations/" + migrationId + "/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body().get("events")).hasSize(events);

        // when the document is uploaded for replay (as `ferry replay --file` does on another machine), as a viewer
        var replay = stack.post("/api/replay", export.body().toString(), FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);

        // then it replays to the same end without divergence
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("consistent").asBoolean()).isTrue();
        assertThat(replay.body().get("steps")).hasSize(events);
        assertThat(replay.body().get("finalState").asString()).isEqualTo("COMPLETED");

        // and a document that is not an export is refused with the reason
        var bad = stack.post("/api/replay", "{\"events\": []}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("reason").asString()).isEqualTo("INVALID_EXPORT");
    }
}
