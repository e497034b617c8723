package io.ferry.orchestrator.outcomes;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand.Report;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.decision.DedupKey;
import io.ferry.orchestrator.migration.Migrations;
import io.ferry.orchestrator.support.Untrusted;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.SchemaMismatchException;
import io.ferry.schema.Topics;
import io.ferry.schema.agent.AgentOutcome;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Consumes agent outcomes and feeds them to the state machine, each outcome id at most once. */
@Component
class OutcomeListener {
    private static final Logger log = LoggerFactory.getLogger(OutcomeListener.class);
    private final AvroCodec<AgentOutcome> codec = AvroCodec.of(AgentOutcome.class);
    private final Migrations migrations;
    private final Clock clock;

    OutcomeListener(Migrations migrations, Clock clock) {
        this.migrations = migrations;
        this.clock = clock;
    }

    /**
     * {@code ferry.orchestrator.outcome-consumers} consumers (keyed by migration id, so one migration's outcomes stay in
     * order on one partition). Default 1: the topic's 3 partitions are then shared by up to 3 orchestrators, where 3
     * threads each let the first orchestrator hold every partition, idling a second one's share of the work.
     */
    @KafkaListener(id = "agent-outcomes", topics = Topics.OUTCOMES, groupId = "ferry-orchestrator",
            concurrency = "${ferry.orchestrator.outcome-consumers:1}")
    void onOutcome(ConsumerRecord<String, byte[]> record) {
        AgentOutcome outcome;
        try {
            outcome = codec.decode(record.value());
        } catch (SchemaMismatchException e) {
            log.error("skipping unreadable agent outcome at offset {}: {}", record.offset(), Untrusted.forLog(e.getMessage()));
            return;
        }
        MigrationId id = MigrationId.parse(outcome.getMigrationId());
        var added = migrations.decide(id, new Report(OutcomeMapper.toReport(outcome), clock.instant()),
                new EventMetadata("agent:" + outcome.getHost(), outcome.getOutcomeId(), null, clock.instant()),
                Optional.of(new DedupKey("agent-outcomes", outcome.getOutcomeId()))).added();
        added.forEach(e -> log.info("migration {} v{}: {}", id, e.version(), e.type()));
    }
}
