package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.drain.DrainEvent.PlannedMove;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A drain driven through its pure state machine, input by input, as its decision loop would. */
final class DrainScenario {
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private final Drain drain = new Drain();
    private DrainState state = DrainState.NONE;
    private final List<DrainEvent> events = new ArrayList<>();

    static DrainScenario started(String host, PlannedMove... moves) {
        DrainScenario s = new DrainScenario();
        s.on(new DrainCommand.Start(host, List.of(moves), "LARGEST_FIRST", null, 1000, "ops", T0));
        return s;
    }

    static PlannedMove move(String vm, int order, String to) {
        return new PlannedMove(vm, 64, to, order, 1000, "test");
    }

    List<DrainEvent> on(DrainCommand command) {
        List<DrainEvent> added = drain.decide(command, state);
        for (DrainEvent e : added) {
            state = drain.evolve(state, e, T0);
        }
        events.addAll(added);
        return added;
    }

    /** The driver's two steps: the intent, then the migration it made. */
    void submitted(String vm, java.util.UUID migration) {
        on(new DrainCommand.Submit(vm, T0));
        on(new DrainCommand.Submitted(vm, migration, T0));
    }

    DrainState state() {
        return state;
    }

    List<DrainEvent> events() {
        return events;
    }
}
