package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Decision;
import io.ferry.orchestrator.decision.DecisionLoop;
import io.ferry.orchestrator.decision.DedupKey;
import io.ferry.orchestrator.decision.EventMetadata;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** The one way to change a migration: its inputs go through the decision loop, whose reactors do the rest. */
@Service
public class Migrations {
    private final DecisionLoop<MigrationCommand, MigrationEvent, MigrationState> loop;

    Migrations(DecisionLoop<MigrationCommand, MigrationEvent, MigrationState> loop) {
        this.loop = loop;
    }

    /** @param dedup consumer and message id; when that message was handled before, nothing is appended */
    public Decision<MigrationEvent, MigrationState> decide(MigrationId id, MigrationCommand command, EventMetadata meta,
            Optional<DedupKey> dedup) {
        return loop.decide(id.value(), command, meta, dedup);
    }

    /** Inputs to one migration decided in order in one transaction (messages that arrived together). */
    public List<Decision<MigrationEvent, MigrationState>> decideAll(MigrationId id,
            List<DecisionLoop.Input<MigrationCommand>> inputs) {
        return loop.decideAll(id.value(), inputs);
    }

    /** The migration as its log says now (Absent when there is no such migration). */
    public MigrationState current(MigrationId id) {
        return loop.current(id.value());
    }
}
