package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TheDemoSummaryTimesTheRequestToTheResumeTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void resumed_after_runs_from_the_recorded_request_to_the_destinations_own_resume_time() {
        // given a history whose request was recorded at 10:00:00.100 and whose VM resumed (agent's clock) 950 ms later
        JsonNode history = JSON.readTree("""
                [{"type": "MigrationRequested", "recordedAt": "2026-11-29T10:00:00.100Z", "payload": {}},
                 {"type": "VmResumed", "recordedAt": "2026-11-29T10:00:01.200Z",
                  "payload": {"resumedAt": %d}},
                 {"type": "MigrationCompleted", "recordedAt": "2026-11-29T10:00:01.400Z", "payload": {}}]"""
                .formatted(java.time.Instant.parse("2026-11-29T10:00:01.050Z").toEpochMilli()));

        // when the demo summarises it, then the span ends at the resume, not at its record or the completion
        assertThat(DemoCommand.resumedAfterMs(history)).isEqualTo(950);
    }

    @Test
    void a_migration_that_never_resumed_has_no_such_span() {
        JsonNode history = JSON.readTree("""
                [{"type": "MigrationRequested", "recordedAt": "2026-11-29T10:00:00.100Z", "payload": {}},
                 {"type": "MigrationFailed", "recordedAt": "2026-11-29T10:00:01.200Z", "payload": {}}]""");

        assertThat(DemoCommand.resumedAfterMs(history)).isNull();
    }
}
