package io.ferry.agent.commands;

import io.ferry.agent.AgentProperties;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageCommand;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Reports outcomes on ferry.agent-outcomes, keyed by migration id so one migration's outcomes stay in order.
 * Each send waits for the broker's acknowledgement: an outcome the orchestrator never sees would stall it.
 */
@Component
public class Outcomes {
    public static final String TOPIC = "ferry.agent-outcomes";
    private final KafkaTemplate<String, byte[]> kafka;
    private final AvroCodec<AgentOutcome> codec = AvroCodec.of(AgentOutcome.class);
    private final AgentProperties properties;
    private final Clock clock;

    public Outcomes(KafkaTemplate<String, byte[]> kafka, AgentProperties properties, Clock clock) {
        this.kafka = kafka;
        this.properties = properties;
        this.clock = clock;
    }

    public void report(StageCommand command, OutcomeKind kind, Consumer<AgentOutcome.Builder> details) {
        AgentOutcome.Builder builder = AgentOutcome.newBuilder()
                .setOutcomeId(UUID.randomUUID().toString())
                .setCommandId(command.getCommandId())
                .setMigrationId(command.getMigrationId())
                .setHost(properties.host())
                .setOccurredAt(clock.instant())
                .setKind(kind);
        details.accept(builder);
        AgentOutcome outcome = builder.build();
        try {
            kafka.send(TOPIC, outcome.getMigrationId(), codec.encode(outcome)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not report " + kind + " for migration " + outcome.getMigrationId()
                    + " to Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting " + kind, e);
        }
    }

    public void report(StageCommand command, OutcomeKind kind) {
        report(command, kind, b -> {});
    }

    public void failed(StageCommand command, String reason, String detail) {
        report(command, OutcomeKind.FAILED, b -> b.setFailureReason(reason).setDetail(detail));
    }
}
