package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.decision.Decider;
import io.ferry.orchestrator.decision.Recorded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A drain's replay, pure: folds its recorded events through today's {@code evolve}, showing the drain after each,
 * and decides every recorded input again with today's {@code decide}, naming each batch that differs from what was
 * recorded. The drain's decider takes no ids or clock of its own, so the same code decides the same events.
 */
public final class DrainReplayer {
    private DrainReplayer() {}

    public record Input(int afterVersion, DrainCommand command, String actor) {}

    /** The drain after one event: its status, the host's mode and how many VMs have moved. */
    public record Step(int version, String type, Instant recordedAt, String actor, String status, String hostMode,
            long moved) {}

    public record Divergence(int afterVersion, String input, List<String> recorded, List<String> decided) {}

    public record Report(boolean consistent, String finalStatus, List<Step> steps, List<Divergence> divergences) {}

    /** @param until the last version to fold (null: all) */
    public static Report replay(List<Recorded<DrainEvent>> events, List<Input> inputs, Integer until,
            Decider<DrainCommand, DrainEvent, DrainState> decider) {
        Map<Integer, Input> byVersion = new TreeMap<>();
        inputs.forEach(i -> byVersion.put(i.afterVersion(), i));
        List<Step> steps = new ArrayList<>();
        List<Divergence> divergences = new ArrayList<>();
        DrainState state = decider.initial();
        int last = until == null ? Integer.MAX_VALUE : until;
        for (int i = 0; i < events.size() && events.get(i).version() <= last; i++) {
            Recorded<DrainEvent> event = events.get(i);
            Input input = byVersion.get(event.version() - 1);
            if (input != null) {
                check(input, batch(events, input, byVersion), state, decider).ifPresent(divergences::add);
            }
            state = decider.evolve(state, event.event(), event.recordedAt());
            steps.add(new Step(event.version(), event.type(), event.recordedAt(), event.actor(), state.status().name(),
                    state.hostMode().name(), state.count(java.util.Set.of(DrainState.MoveStatus.MOVED))));
        }
        return new Report(divergences.isEmpty(), state.status().name(), steps, divergences);
    }

    /** The events one input appended: from its version up to the next input's. */
    private static List<DrainEvent> batch(List<Recorded<DrainEvent>> events, Input input, Map<Integer, Input> inputs) {
        int end = ((TreeMap<Integer, Input>) inputs).higherKey(input.afterVersion()) == null ? Integer.MAX_VALUE
                : ((TreeMap<Integer, Input>) inputs).higherKey(input.afterVersion());
        return events.stream().filter(e -> e.version() > input.afterVersion() && e.version() <= end)
                .map(Recorded::event).toList();
    }

    private static Optional<Divergence> check(Input input, List<DrainEvent> recorded, DrainState state,
            Decider<DrainCommand, DrainEvent, DrainState> decider) {
        List<DrainEvent> decided = decider.decide(input.command(), state);
        if (decided.equals(recorded)) {
            return Optional.empty();
        }
        return Optional.of(new Divergence(input.afterVersion(), input.command().toString(), names(recorded),
                names(decided)));
    }

    private static List<String> names(List<DrainEvent> events) {
        return events.stream().map(DrainEvent::toString).toList();
    }
}
