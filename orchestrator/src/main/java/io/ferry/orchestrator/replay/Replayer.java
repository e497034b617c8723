package io.ferry.orchestrator.replay;

import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The replay debugger, pure like the state machine it checks: folds a migration's recorded events through today's
 * {@code evolve} and shows the state after each, and re-runs today's {@code decide} on every recorded input,
 * flagging each batch of events that differs from what was really recorded (as Temporal's replayer flags commands
 * that differ from the history). Command ids are fed back from the recording, so only real differences show.
 */
public final class Replayer {
    private Replayer() {}

    /** {@code decide} as a function, so a test can replay through a deliberately changed state machine. */
    public interface Decider {
        List<MigrationEvent> decide(MigrationCommand input, MigrationState state, Supplier<UUID> ids);
    }

    public static final Decider TODAY = (input, state, ids) -> new Migration(ids).decide(input, state);

    public record Recorded(int version, String type, MigrationEvent event, Instant recordedAt, String actor) {}

    public record Input(int afterVersion, MigrationCommand command, String actor, Instant recordedAt) {}

    public record Step(int version, String type, Instant recordedAt, String actor, String stateAfter) {}

    /** What today's decide made of a recorded input, where it differs from the recording. */
    public record Divergence(int inputSeq, int afterVersion, String input, List<String> recorded, List<String> decided,
            String detail) {}

    public record Report(boolean inputsRecorded, boolean consistent, String finalState, List<Step> steps,
            List<Divergence> divergences) {}

    /** @param until the last version to fold (null: all) */
    public static Report replay(List<Recorded> events, List<Input> inputs, Integer until, Decider decider) {
        Map<Integer, Input> byVersion = new TreeMap<>();
        inputs.forEach(i -> byVersion.put(i.afterVersion(), i));
        List<Integer> inputVersions = new ArrayList<>(byVersion.keySet());
        List<Step> steps = new ArrayList<>();
        List<Divergence> divergences = new ArrayList<>();
        MigrationState state = Migration.initial();
        int last = until == null ? Integer.MAX_VALUE : until;
        for (int i = 0; i < events.size() && events.get(i).version() <= last; i++) {
            Recorded event = events.get(i);
            Input input = byVersion.get(event.version() - 1);
            if (input != null) {
                int next = inputVersions.indexOf(input.afterVersion()) + 1;
                int end = next < inputVersions.size() ? inputVersions.get(next) : Integer.MAX_VALUE;
                List<MigrationEvent> batch = events.stream().filter(e -> e.version() > input.afterVersion()
                        && e.version() <= end).map(Recorded::event).toList();
                check(next, input, batch, state, decider).ifPresent(divergences::add);
            }
            try {
                state = Migration.evolve(state, event.event(), event.recordedAt());
            } catch (IllegalStateException e) {
                divergences.add(new Divergence(0, event.version() - 1, "(fold)", List.of(event.type()), List.of(),
                        "today's evolve rejects event " + event.version() + ": " + e.getMessage()));
                break;
            }
            steps.add(new Step(event.version(), event.type(), event.recordedAt(), event.actor(), state.label()));
        }
        return new Report(!inputs.isEmpty(), divergences.isEmpty(), state.label(), steps, divergences);
    }

    private static java.util.Optional<Divergence> check(int seq, Input input, List<MigrationEvent> recorded,
            MigrationState state, Decider decider) {
        Iterator<UUID> ids = recorded.stream().filter(StageCommandIssued.class::isInstance)
                .map(e -> ((StageCommandIssued) e).commandId().value()).iterator();
        long[] extra = {0};
        // An id the recording does not have can only come from a command it did not issue: it will not match.
        Supplier<UUID> replayedIds = () -> ids.hasNext() ? ids.next() : new UUID(0xFE44E5L, ++extra[0]);
        List<MigrationEvent> decided;
        try {
            decided = decider.decide(input.command(), state, replayedIds);
        } catch (RuntimeException e) {
            return java.util.Optional.of(divergence(seq, input, recorded, List.of(), "today's decide throws: " + e));
        }
        if (decided.equals(recorded)) {
            return java.util.Optional.empty();
        }
        int at = 0;
        while (at < Math.min(decided.size(), recorded.size()) && decided.get(at).equals(recorded.get(at))) {
            at++;
        }
        String detail = at < Math.min(decided.size(), recorded.size())
                ? "event " + (at + 1) + " of the batch differs: recorded " + recorded.get(at) + ", today " + decided.get(at)
                : decided.size() < recorded.size()
                        ? "today decides " + decided.size() + " events where " + recorded.size() + " were recorded; first "
                                + "missing: " + recorded.get(at)
                        : "today decides " + decided.size() + " events where " + recorded.size() + " were recorded; first "
                                + "extra: " + decided.get(at);
        return java.util.Optional.of(divergence(seq, input, recorded, decided, detail));
    }

    private static Divergence divergence(int seq, Input input, List<MigrationEvent> recorded, List<MigrationEvent> decided,
            String detail) {
        String text = input.command().toString();
        return new Divergence(seq, input.afterVersion(), text.length() > 400 ? text.substring(0, 400) + "…" : text,
                names(recorded), names(decided), detail);
    }

    private static List<String> names(List<MigrationEvent> events) {
        return events.stream().map(e -> e instanceof StageCommandIssued c
                ? "StageCommandIssued(" + c.action() + "@" + c.target().value() + ")" : e.getClass().getSimpleName()).toList();
    }
}
