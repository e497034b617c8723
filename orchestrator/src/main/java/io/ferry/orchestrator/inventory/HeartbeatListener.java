package io.ferry.orchestrator.inventory;

import io.ferry.orchestrator.support.Untrusted;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.SchemaMismatchException;
import io.ferry.schema.Topics;
import io.ferry.schema.agent.HostHeartbeat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class HeartbeatListener {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatListener.class);
    private final AvroCodec<HostHeartbeat> codec = AvroCodec.of(HostHeartbeat.class);
    private final Inventory inventory;

    HeartbeatListener(Inventory inventory) {
        this.inventory = inventory;
    }

    @KafkaListener(id = "heartbeats", topics = Topics.HEARTBEATS, groupId = "ferry-orchestrator-heartbeats")
    void onHeartbeat(ConsumerRecord<String, byte[]> record) {
        try {
            inventory.record(codec.decode(record.value()));
        } catch (SchemaMismatchException e) {
            log.warn("ignoring unreadable heartbeat at offset {}: {}", record.offset(), Untrusted.forLog(e.getMessage()));
        }
    }
}
