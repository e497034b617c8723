package io.ferry.orchestrator.estimate;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import org.springframework.stereotype.Component;

/**
 * After a migration this instance saw complete, the estimate's history is read again at the next estimate: the
 * migration just measured is the best guide to the next one (a request right after it would otherwise be estimated
 * from the history cached before it, for up to the cache's few seconds). Another instance's completions reach it when
 * that cache expires.
 */
@Component
class HistoryRefresh implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final Estimates estimates;

    HistoryRefresh(Estimates estimates) {
        this.estimates = estimates;
    }

    @Override
    public void afterCommit(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        if (a.added().stream().anyMatch(r -> r.event() instanceof MigrationEvent.MigrationCompleted)) {
            estimates.forgetHistory();
        }
    }
}
