package io.ferry.agent.commands;

import io.ferry.agent.AgentProperties;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.Compression;
import io.ferry.schema.common.MigrationPolicy;
import io.ferry.schema.common.VmConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Decodes a stage command and encodes an outcome once at start-up, sending nothing, so an agent's first command is not
 * spent loading and interpreting Avro's resolver: in the scale bench each agent's first command took about 400 ms from
 * receipt to dispatch, and the commands behind it in the same poll waited as long (README, issue 13, point 8).
 */
@Component
class CommandPathWarmUp {
    private static final Logger log = LoggerFactory.getLogger(CommandPathWarmUp.class);
    private final CommandListener listener;
    private final Outcomes outcomes;
    private final AgentProperties properties;

    CommandPathWarmUp(CommandListener listener, Outcomes outcomes, AgentProperties properties) {
        this.listener = listener;
        this.outcomes = outcomes;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Thread.ofPlatform().daemon().name("command-path-warm-up").start(this::run);
    }

    void run() {
        long started = System.nanoTime();
        try {
            StageCommand decoded = listener.warmUp(AvroCodec.of(StageCommand.class).encode(sample(properties.host())));
            outcomes.warmUp(decoded);
            log.info("command path warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.info("command path warm-up skipped: {}", e.toString()); // only the first command is slower without it
        }
    }

    /** A command with every optional part set, so decoding it walks every branch of the schema. */
    static StageCommand sample(String host) {
        return StageCommand.newBuilder().setCommandId("warm-up").setMigrationId("warm-up").setRequestId("warm-up")
                .setCausationId("warm-up").setIssuedAt(Instant.now()).setTargetHost(host)
                .setAction(StageAction.PREPARE_DESTINATION).setVmId("warm-up").setSourceHost(host).setDestinationHost(host)
                .setVm(VmConfig.newBuilder().setVmId("warm-up").setMemoryMb(64).setVcpus(1).setMacAddress("02:00:00:00:00:01")
                        .setDiskPath("warm-up.img").setCpuFeatures(List.of("sse2")).build())
                .setPolicy(MigrationPolicy.newBuilder().setMaxDowntimeMs(300).setBandwidthMbps(0).setMaxRounds(30)
                        .setAutoConverge(true).setCompression(Compression.LZ4).build())
                .setDataAddress("127.0.0.1:1").setStorageEpoch(1L).setSourceDataHost("127.0.0.1")
                .setSealedDataToken(ByteBuffer.wrap(new byte[32])).build();
    }
}
