package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.decision.Step;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.Topics;
import io.ferry.schema.agent.StageCommand;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Puts the wire command of each issued stage command into the outbox, for its target host's topic. */
@Component
@Order(30)
class CommandOutbox implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final Outbox outbox;
    private final DataTokens tokens;
    private final Inventory inventory;
    private final AvroCodec<StageCommand> commands = AvroCodec.of(StageCommand.class);

    CommandOutbox(Outbox outbox, DataTokens tokens, Inventory inventory) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.inventory = inventory;
    }

    @Override
    public void inTransaction(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        MigrationId id = new MigrationId(a.stream());
        java.util.List<Outbox.Message> messages = new java.util.ArrayList<>();
        for (Step<MigrationEvent, MigrationState> step : a.steps()) {
            if (step.recorded().event() instanceof StageCommandIssued issued) {
                // the command carries what the migration knows right after this event
                MigrationState state = step.stateAfter();
                String sourceDataHost = issued.action() == io.ferry.orchestrator.core.StageAction.PREPARE_DESTINATION
                        ? inventory.dataHost(state.requested().orElseThrow().source().value()).orElse(null) : null;
                StageCommand wire = CommandFactory.build(id, step.recorded(), issued, state, a.meta().recordedAt(), tokens,
                        sourceDataHost);
                messages.add(new Outbox.Message(Topics.commandsFor(issued.target().value()), id.toString(),
                        commands.encode(wire), Outbox.AVRO));
            }
        }
        outbox.addAll(messages); // in one statement, in the order issued
    }
}
