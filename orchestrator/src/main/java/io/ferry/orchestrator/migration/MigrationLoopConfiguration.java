package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.DecisionLoop;
import io.ferry.orchestrator.decision.ProcessedMessages;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.eventlog.EventStore;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class MigrationLoopConfiguration {

    /** Every event of a migration correlates to the request that started it, whoever caused the append. */
    @Bean
    DecisionLoop<MigrationCommand, MigrationEvent, MigrationState> migrationLoop(Migration machine, EventStore store,
            List<Reactor<MigrationCommand, MigrationEvent, MigrationState>> reactors, ProcessedMessages processed,
            TransactionTemplate tx) {
        return new DecisionLoop<>(new MigrationDecider(machine), store,
                after -> after.requested().orElseThrow().requestId().value(), reactors, processed, tx);
    }
}
