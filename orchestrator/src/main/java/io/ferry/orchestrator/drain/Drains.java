package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.decision.Decision;
import io.ferry.orchestrator.decision.DecisionLoop;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.decision.ProcessedMessages;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.decision.Recorded;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The one way to change a drain: its inputs go through its own decision loop, whose reactor keeps the read model. */
@Service
public class Drains {
    private final DecisionLoop<DrainCommand, DrainEvent, DrainState> loop;
    private final DrainEventStore store;

    Drains(DrainEventStore store, List<Reactor<DrainCommand, DrainEvent, DrainState>> reactors,
            ProcessedMessages processed, TransactionTemplate tx) {
        this.store = store;
        this.loop = new DecisionLoop<>(new Drain(), store, DrainState::host, reactors, processed, tx);
    }

    public Decision<DrainEvent, DrainState> decide(DrainId id, DrainCommand command, String actor, String cause) {
        return loop.decide(id.value(), command, new EventMetadata(actor, cause, null, command.at()), Optional.empty());
    }

    public DrainState current(DrainId id) {
        return loop.current(id.value());
    }

    public List<Recorded<DrainEvent>> history(DrainId id) {
        return store.load(id.value());
    }
}
