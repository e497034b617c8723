package io.ferry.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.bench.scale.Hops.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AHopRunsFromTheRecordedOutcomeToTheCommandsReceiptTest {
    private static final UUID M = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private static Event event(int version, String type, long ms, String actor) {
        return new Event(M, version, type, at(ms), actor, null, null);
    }

    private static Event command(int version, long ms, String actor, String id, String action) {
        return new Event(M, version, "StageCommandIssued", at(ms), actor, id, action);
    }

    @Test
    void given_an_outcome_that_issued_two_commands_when_paired_then_each_command_is_a_hop_from_the_outcomes_record() {
        List<Event> log = List.of(
                event(1, "MigrationRequested", 0, "ops"),
                event(2, "MigrationAdmitted", 100, "orchestrator:scheduler"),
                command(3, 100, "orchestrator:scheduler", "c-prepare", "PREPARE_DESTINATION"),
                event(4, "SkeletonCreated", 500, "agent:hv-02"),
                command(5, 500, "agent:hv-02", "c-connect", "CONNECT_SOURCE"),
                command(6, 500, "agent:hv-02", "c-precopy", "START_PRECOPY"));
        Map<String, Instant> received = Map.of("c-prepare", at(120), "c-connect", at(512), "c-precopy", at(515));

        Hops.Result result = Hops.pair(log, received, Map.of("c-connect", at(505)));

        assertThat(result.hops()).extracting(Hops.Hop::action).containsExactly("CONNECT_SOURCE", "START_PRECOPY");
        assertThat(result.hops()).extracting(Hops.Hop::outcomeType).containsOnly("SkeletonCreated");
        assertThat(result.hops()).extracting(Hops.Hop::millis).containsExactly(12.0, 15.0);
        assertThat(result.hops().getFirst().toPublishedMillis()).isEqualTo(5.0);
        assertThat(result.hops().getFirst().publishedToReceivedMillis()).isEqualTo(7.0);
        assertThat(result.hops().get(1).toPublishedMillis()).isNaN();
        assertThat(result.unreceived()).isEmpty();
    }

    @Test
    void given_a_command_no_agent_reported_when_paired_then_it_is_listed_as_unreceived_not_dropped() {
        List<Event> log = List.of(event(1, "PrecopyConverged", 0, "agent:hv-01"),
                command(2, 0, "agent:hv-01", "c-final", "FINAL_COPY"));

        Hops.Result result = Hops.pair(log, Map.of(), Map.of());

        assertThat(result.hops()).isEmpty();
        assertThat(result.unreceived()).containsExactly("c-final");
    }

    @Test
    void given_outbox_rows_in_id_order_when_paired_with_commands_then_the_nth_row_is_the_nth_command_issued() {
        List<Event> log = List.of(command(6, 500, "agent:hv-02", "c-precopy", "START_PRECOPY"),
                command(3, 100, "orchestrator:scheduler", "c-prepare", "PREPARE_DESTINATION"),
                command(5, 500, "agent:hv-02", "c-connect", "CONNECT_SOURCE"));

        Map<String, Instant> published = Hops.publishedByCommand(log, Map.of(M, List.of(at(101), at(503), at(504))));

        assertThat(published).containsEntry("c-prepare", at(101)).containsEntry("c-connect", at(503))
                .containsEntry("c-precopy", at(504));
    }
}
