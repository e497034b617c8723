package io.ferry.orchestrator.outcomes;

import io.ferry.orchestrator.core.AgentReport;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationCommand.Report;
import io.ferry.orchestrator.decision.DecisionLoop;
import io.ferry.orchestrator.decision.DedupKey;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.migration.Migrations;
import io.ferry.orchestrator.support.Untrusted;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.Topics;
import io.ferry.schema.agent.AgentOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Consumes agent outcomes and feeds them to the state machine, each outcome id at most once. What one poll brings of
 * one migration is decided in one transaction: the switchover's six outcomes arrive within milliseconds of each
 * other, and one commit each put their database round trips one after another at the end of every migration.
 */
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

    /** An outcome read off the topic, with its place in the poll. */
    private record Read(int index, AgentOutcome outcome, AgentReport report) {}

    /**
     * {@code ferry.orchestrator.outcome-consumers} consumers (keyed by migration id, so one migration's outcomes stay in
     * order on one partition). Default 1: the topic's 3 partitions are then shared by up to 3 orchestrators, where 3
     * threads each let the first orchestrator hold every partition, idling a second one's share of the work.
     */
    @KafkaListener(id = "agent-outcomes", topics = Topics.OUTCOMES, groupId = "ferry-orchestrator", batch = "true",
            concurrency = "${ferry.orchestrator.outcome-consumers:1}")
    void onOutcomes(List<ConsumerRecord<String, byte[]>> records) {
        Map<MigrationId, List<Read>> byMigration = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            try {
                AgentOutcome outcome = codec.decode(record.value());
                byMigration.computeIfAbsent(MigrationId.parse(outcome.getMigrationId()), id -> new ArrayList<>())
                        .add(new Read(i, outcome, OutcomeMapper.toReport(outcome)));
            } catch (RuntimeException e) { // SchemaMismatchException among them
                // Reading is deterministic: an outcome that cannot be read now never will be.
                log.error("skipping unreadable agent outcome at offset {}: {}", record.offset(), Untrusted.forLog(
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        // Migrations in the order their first outcome came; a failure re-reads from that outcome on, and what was
        // decided after it in this poll is then a duplicate, which the dedup keys turn into nothing.
        for (Map.Entry<MigrationId, List<Read>> migration : byMigration.entrySet()) {
            List<Read> reads = migration.getValue();
            try {
                decide(migration.getKey(), reads);
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("deciding the outcomes of migration " + migration.getKey() + " failed",
                        e, reads.getFirst().index());
            }
        }
    }

    /** Recorded at when this migration's turn comes, not when the poll was read: the time its decision began. */
    private void decide(MigrationId id, List<Read> reads) {
        Instant now = clock.instant();
        List<DecisionLoop.Input<MigrationCommand>> inputs = reads.stream().map(read -> new DecisionLoop.Input<MigrationCommand>(
                new Report(read.report(), now), new EventMetadata("agent:" + read.outcome().getHost(),
                        read.outcome().getOutcomeId(), null, now),
                Optional.of(new DedupKey("agent-outcomes", read.outcome().getOutcomeId())))).toList();
        migrations.decideAll(id, inputs).forEach(decision -> decision.added()
                .forEach(e -> log.info("migration {} v{}: {}", id, e.version(), e.type())));
    }
}
