package io.ferry.agent.commands;

import io.ferry.schema.AvroCodec;
import io.ferry.schema.SchemaMismatchException;
import io.ferry.schema.agent.StageCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Consumes this host's command topic, ferry.agent-commands.&lt;host&gt;, and nothing else. */
@Component
public class CommandListener {
    private static final Logger log = LoggerFactory.getLogger(CommandListener.class);
    private final AvroCodec<StageCommand> codec = AvroCodec.of(StageCommand.class);
    private final CommandDispatcher dispatcher;

    public CommandListener(CommandDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @KafkaListener(id = "stage-commands", topics = io.ferry.schema.Topics.COMMANDS_LISTENER,
            groupId = "ferry-agent-${ferry.agent.host}")
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        java.time.Instant received = java.time.Instant.now();
        StageCommand command;
        try {
            command = codec.decode(record.value());
        } catch (SchemaMismatchException e) {
            log.error("skipping unreadable stage command at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (log.isDebugEnabled()) {
            // the bench's scale scenario reads this line: when a command reached this agent, to pair with the event
            // log's record of the outcome that caused it (see README, Benchmark)
            log.debug("received command {} {} for migration {} at {}", command.getCommandId(), command.getAction(),
                    command.getMigrationId(), received);
        }
        dispatcher.dispatch(command);
    }

    /**
     * Decodes a command the way {@link #onCommand} does, and does nothing with it: run once at start-up so the
     * first real command does not pay for loading and compiling the decoder (see {@link CommandPathWarmUp}).
     */
    StageCommand warmUp(byte[] encoded) {
        return codec.decode(encoded);
    }
}
