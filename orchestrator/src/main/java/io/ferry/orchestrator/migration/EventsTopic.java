package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.decision.Recorded;
import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Publishes every appended event, in its JSON envelope, to the events topic through the outbox. */
@Component("eventsTopicReactor") // "eventsTopic" is the topic's NewTopic bean
@Order(40)
class EventsTopic implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final Outbox outbox;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    EventsTopic(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void inTransaction(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        outbox.addAll(a.added().stream().map(recorded -> new Outbox.Message(Topics.EVENTS, a.stream().toString(),
                envelope(recorded), Outbox.JSON)).toList());
    }

    private byte[] envelope(Recorded<MigrationEvent> e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("eventId", e.eventId().toString());
        node.put("migrationId", e.streamId().toString());
        node.put("version", e.version());
        node.put("type", e.type());
        node.put("recordedAt", e.recordedAt().toString());
        node.put("actor", e.actor());
        node.put("causationId", e.causationId());
        node.put("correlationId", e.correlationId());
        node.set("payload", JSON.readTree(e.payloadJson()));
        return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }
}
