package io.ferry.agent.commands;

import io.ferry.agent.AgentProperties;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Reports outcomes on ferry.agent-outcomes, keyed by migration id so one host's outcomes of a migration stay in
 * order.
 */
@Component
public class Outcomes {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Outcomes.class);
    public static final String TOPIC = io.ferry.schema.Topics.OUTCOMES;
    private final KafkaTemplate<String, byte[]> kafka;
    private final AvroCodec<AgentOutcome> codec = AvroCodec.of(AgentOutcome.class);
    private final AgentProperties properties;
    private final Clock clock;
    private final java.util.concurrent.ExecutorService sender =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("outcome-sender").factory());

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
        // Handed to one sender thread and not waited for: the switchover must not stall on the producer or a
        // broker acknowledgement. One thread and one idempotent producer keep this host's outcomes in order.
        byte[] payload = codec.encode(outcome);
        sender.execute(() -> kafka.send(TOPIC, outcome.getMigrationId(), payload).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("could not report {} for migration {} to Kafka: {}", kind, outcome.getMigrationId(),
                        error.getMessage());
            }
        }));
    }

    /**
     * Encodes an outcome of every part for {@code command} and asks the producer for the outcome topic's
     * partitions, sending nothing: the first real report then finds the encoder loaded and the producer's metadata
     * fetched (see {@link CommandPathWarmUp}).
     */
    void warmUp(StageCommand command) {
        AgentOutcome outcome = AgentOutcome.newBuilder()
                .setOutcomeId(UUID.randomUUID().toString()).setCommandId(command.getCommandId())
                .setMigrationId(command.getMigrationId()).setHost(command.getTargetHost()).setOccurredAt(clock.instant())
                .setKind(OutcomeKind.RESUMED).setDataAddress(command.getDataAddress())
                .setProgress(io.ferry.schema.common.CopyProgress.newBuilder().setRound(1).setPagesSent(1).setBytesSent(4096)
                        .setDirtyPagesRemaining(0).build())
                .setMemoryChecksum("0").setStorageEpoch(command.getStorageEpoch()).setPausedAt(clock.instant())
                .setDowntimeMs(0L).setPagesSent(1L).setBytesSent(4096L).setFailureReason(FailureReason.AGENT_ERROR.name())
                .setDetail("warm-up")
                .setDowntimeBreakdown(io.ferry.schema.common.DowntimeBreakdown.newBuilder().setTotalUs(0).setLastPageUs(0)
                        .setDeviceStateUs(0L).setDigestCheckUs(0).setStorageHandoffUs(0).setResumeUs(0).setOtherUs(0)
                        .setAuthorisationWaitUs(0L).build())
                .build();
        codec.encode(outcome); // the agent only encodes outcomes; decoding them is the orchestrator's
        kafka.partitionsFor(TOPIC);
    }

    @jakarta.annotation.PreDestroy
    void drain() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    public void report(StageCommand command, OutcomeKind kind) {
        report(command, kind, b -> {});
    }

    public void failed(StageCommand command, FailureReason reason, String detail) {
        report(command, OutcomeKind.FAILED, b -> b.setFailureReason(reason.name()).setDetail(detail));
    }
}
