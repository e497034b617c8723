package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.systemtests.EventLog.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history check the system tests rely on rejects what it is there to catch (no processes involved). */
class HistoryChecksCatchGapsAndRepeatsTest {
    private static final String ID = "00000000-0000-0000-0000-000000000001";

    private static List<Event> clean() {
        List<Event> events = new ArrayList<>();
        events.add(event(1, "MigrationRequested", null, null, null));
        events.add(event(2, "StageCommandIssued", "PREPARE_DESTINATION", "hv-02", null));
        events.add(event(3, "SkeletonCreated", null, null, null));
        events.add(event(4, "StageCommandIssued", "CONNECT_SOURCE", "hv-01", null));
        events.add(event(5, "PrecopyRoundCompleted", null, null, 1));
        events.add(event(6, "PrecopyRoundCompleted", null, null, 2));
        return events;
    }

    private static Event event(int version, String type, String action, String host, Integer round) {
        return new Event(version, version, type, action, host, action == null ? null : "cmd-" + version, round, "test",
                action == null ? host : null);
    }

    @Test
    void a_clean_history_passes() {
        assertThatCode(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, clean(), 6)).doesNotThrowAnyException();
    }

    @Test
    void a_gap_in_the_versions_fails() {
        List<Event> events = clean();
        events.remove(2);
        assertThatThrownBy(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, events, 5))
                .hasMessageContaining("without a gap");
    }

    @Test
    void an_action_issued_twice_fails() {
        List<Event> events = clean();
        events.add(event(7, "StageCommandIssued", "CONNECT_SOURCE", "hv-01", null));
        assertThatThrownBy(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, events, 7))
                .hasMessageContaining("issued more than once");
    }

    @Test
    void an_outcome_recorded_twice_fails() {
        List<Event> events = clean();
        events.add(event(7, "SkeletonCreated", null, null, null));
        assertThatThrownBy(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, events, 7))
                .hasMessageContaining("recorded more than once");
    }

    @Test
    void each_hosts_abort_confirmation_once_passes_and_one_host_confirming_twice_fails() {
        List<Event> events = clean();
        events.add(event(7, "AbortConfirmed", null, "hv-02", null));
        events.add(event(8, "AbortConfirmed", null, "hv-01", null));
        HistoryChecks.assertContiguousWithNothingTwice(ID, events, 8);

        events.add(event(9, "AbortConfirmed", null, "hv-01", null));
        assertThatThrownBy(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, events, 9))
                .hasMessageContaining("recorded more than once").hasMessageContaining("AbortConfirmed@hv-01 x2");
    }

    @Test
    void a_round_recorded_twice_fails() {
        List<Event> events = clean();
        events.add(event(7, "PrecopyRoundCompleted", null, null, 2));
        assertThatThrownBy(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, events, 7))
                .hasMessageContaining("rounds");
    }

    @Test
    void a_read_model_behind_the_log_fails() {
        assertThatThrownBy(() -> HistoryChecks.assertContiguousWithNothingTwice(ID, clean(), 5))
                .hasMessageContaining("read model version");
    }
}
