package io.ferry.bench.scale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Pairs the event log with the agents' receipts: each stage command the orchestrator issued in answer to an agent's
 * outcome is one control-plane hop, from the time the outcome was recorded (the append's recorded_at, which every event
 * of one append shares) to the time the command reached its agent. Commands issued for any other reason (an
 * admission, a cancel, a watchdog) are not hops of the stage pipeline and are left out; so is the first command of a
 * migration, whose wait is the queue's.
 */
public final class Hops {
    private Hops() {}

    /** One row of migration_events, as far as the pairing needs it; commandId and action only for StageCommandIssued. */
    public record Event(UUID migrationId, int version, String type, Instant recordedAt, String actor, String commandId,
            String action) {}

    /**
     * A hop: the outcome recorded (the append's first event, e.g. SkeletonCreated), the command it caused, and when
     * that command was published to Kafka (null: unknown) and received by its agent.
     */
    public record Hop(UUID migrationId, String outcomeType, String action, Instant recordedAt, Instant publishedAt,
            Instant receivedAt) {
        public double millis() {
            return between(recordedAt, receivedAt);
        }

        /** Outcome recorded to command published (the orchestrator's commit and its outbox relay); NaN when unknown. */
        public double toPublishedMillis() {
            return publishedAt == null ? Double.NaN : between(recordedAt, publishedAt);
        }

        /** Command published to received by the agent (Kafka and the agent's consumer); NaN when unknown. */
        public double publishedToReceivedMillis() {
            return publishedAt == null ? Double.NaN : between(publishedAt, receivedAt);
        }
    }

    /** The hops found, and the outcome-caused commands no agent reported receiving (should be none). */
    public record Result(List<Hop> hops, List<String> unreceived) {}

    /**
     * @param receivedAt when each command (by id) reached its agent
     * @param publishedAt when each command (by id) was published, where known
     */
    public static Result pair(List<Event> events, Map<String, Instant> receivedAt, Map<String, Instant> publishedAt) {
        List<Hop> hops = new ArrayList<>();
        List<String> unreceived = new ArrayList<>();
        for (List<Event> append : appends(events)) {
            Event first = append.getFirst();
            if (first.actor() == null || !first.actor().startsWith("agent:")) {
                continue;
            }
            for (Event e : append) {
                if (!"StageCommandIssued".equals(e.type())) {
                    continue;
                }
                Instant received = receivedAt.get(e.commandId());
                if (received == null) {
                    unreceived.add(e.commandId());
                    continue;
                }
                hops.add(new Hop(e.migrationId(), first.type(), e.action(), first.recordedAt(),
                        publishedAt.get(e.commandId()), received));
            }
        }
        return new Result(hops, unreceived);
    }

    /**
     * Pairs each migration's stage commands with its rows on the command topics: both are written in the same
     * transaction, in the same order, so the n-th command issued is the n-th command row of that migration.
     *
     * @param commandRowsPublishedAt per migration, its command rows' published_at in outbox id order
     */
    public static Map<String, Instant> publishedByCommand(List<Event> events,
            Map<UUID, List<Instant>> commandRowsPublishedAt) {
        Map<String, Instant> published = new HashMap<>();
        Map<UUID, Integer> seen = new HashMap<>();
        events.stream().filter(e -> "StageCommandIssued".equals(e.type()))
                .sorted(Comparator.comparing(Event::migrationId).thenComparingInt(Event::version))
                .forEach(e -> {
                    int n = seen.merge(e.migrationId(), 1, Integer::sum) - 1;
                    List<Instant> rows = commandRowsPublishedAt.getOrDefault(e.migrationId(), List.of());
                    if (n < rows.size() && rows.get(n) != null) {
                        published.put(e.commandId(), rows.get(n));
                    }
                });
        return published;
    }

    /** The log cut into appends: consecutive events of one migration recorded at the same instant by the same actor. */
    static List<List<Event>> appends(List<Event> events) {
        List<Event> sorted = events.stream()
                .sorted(Comparator.comparing(Event::migrationId).thenComparingInt(Event::version)).toList();
        List<List<Event>> out = new ArrayList<>();
        List<Event> current = null;
        Event previous = null;
        for (Event e : sorted) {
            boolean same = previous != null && previous.migrationId().equals(e.migrationId())
                    && previous.recordedAt().equals(e.recordedAt()) && Objects.equals(previous.actor(), e.actor());
            if (!same) {
                current = new ArrayList<>();
                out.add(current);
            }
            current.add(e);
            previous = e;
        }
        return out;
    }

    /**
     * Writes every hop as CSV (migration, outcome, command, recorded, published, received, ms), for reading one hop's
     * wait against the processes' logs.
     */
    public static void write(List<Hop> hops, java.nio.file.Path file) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        lines.add("migration,outcome,command,recordedAt,publishedAt,receivedAt,ms");
        hops.stream().sorted(Comparator.comparing(Hop::recordedAt)).forEach(h -> lines.add(String.join(",",
                h.migrationId().toString(), h.outcomeType(), h.action(), h.recordedAt().toString(),
                String.valueOf(h.publishedAt()), h.receivedAt().toString(), String.valueOf(h.millis()))));
        java.nio.file.Files.write(file, lines);
    }

    static double between(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
