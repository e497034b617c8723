package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Decider;
import java.time.Instant;
import java.util.List;

/** The migration state machine, as the decision loop sees it. */
final class MigrationDecider implements Decider<MigrationCommand, MigrationEvent, MigrationState> {
    private final Migration machine;

    MigrationDecider(Migration machine) {
        this.machine = machine;
    }

    @Override
    public MigrationState initial() {
        return Migration.initial();
    }

    @Override
    public List<MigrationEvent> decide(MigrationCommand input, MigrationState state) {
        return machine.decide(input, state);
    }

    @Override
    public MigrationState evolve(MigrationState state, MigrationEvent event, Instant at) {
        return Migration.evolve(state, event, at);
    }
}
