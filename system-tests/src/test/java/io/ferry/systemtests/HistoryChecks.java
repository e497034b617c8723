package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.systemtests.EventLog.Event;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What every migration's history must look like however its processes were killed or restarted. */
final class HistoryChecks {
    /** Events an outcome adds once; several of them mean an outcome was handled twice. */
    private static final List<String> REPEATABLE = List.of("StageCommandIssued", "PrecopyRoundCompleted");

    private HistoryChecks() {}

    /**
     * The log holds versions 1..n without a gap, the read model is at n, no command was issued twice (one
     * StageCommandIssued per action and host, each with its own command id), no outcome was recorded twice (once per
     * host for an outcome each host reports, such as AbortConfirmed), and
     * every pre-copy round is recorded once.
     */
    static void assertContiguousWithNothingTwice(String migrationId, List<Event> events, int projectedVersion) {
        String history = events.stream().map(Event::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
        assertThat(events).as("history of %s", migrationId).isNotEmpty();
        assertThat(events.stream().map(Event::version).toList())
                .as("versions of %s are 1..n without a gap:%s", migrationId, history)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(projectedVersion).as("read model version of %s", migrationId).isEqualTo(events.size());

        List<Event> issued = events.stream().filter(e -> e.type().equals("StageCommandIssued")).toList();
        assertThat(duplicates(issued, e -> e.action() + "@" + e.targetHost()))
                .as("actions of %s issued more than once:%s", migrationId, history).isEmpty();
        assertThat(duplicates(issued, Event::commandId))
                .as("command ids of %s used more than once:%s", migrationId, history).isEmpty();
        // an outcome of one host (AbortConfirmed, StorageAcquired, ...) is recorded once per host: both hosts confirm an abort
        assertThat(duplicates(events.stream().filter(e -> !REPEATABLE.contains(e.type())).toList(),
                e -> e.type() + (e.host() == null ? "" : "@" + e.host())))
                .as("events of %s recorded more than once:%s", migrationId, history).isEmpty();
        assertThat(duplicates(events.stream().filter(e -> e.type().equals("PrecopyRoundCompleted")).toList(),
                e -> Objects.toString(e.round()))).as("pre-copy rounds of %s recorded more than once:%s", migrationId,
                history).isEmpty();
    }

    private static List<String> duplicates(List<Event> events, Function<Event, String> key) {
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " x" + e.getValue())
                .sorted().toList();
    }
}
