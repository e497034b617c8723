package io.ferry.orchestrator.outbox;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Messages to publish, written in the caller's transaction: they exist exactly when the events that caused them do.
 * The relay is woken once that transaction commits, so a message goes out at once, not at the next poll.
 */
@Repository
public class Outbox {
    public static final String AVRO = "application/vnd.apache.avro+binary";
    public static final String JSON = "application/json";
    private final JdbcTemplate jdbc;
    private final OutboxRelay relay;
    /** One instance per relay lane, each registered at most once per transaction however many rows it adds. */
    private final Map<OutboxRelay.Lane, TransactionSynchronization> wakeLane = new EnumMap<>(OutboxRelay.Lane.class);

    public Outbox(JdbcTemplate jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
        for (OutboxRelay.Lane lane : OutboxRelay.Lane.values()) {
            wakeLane.put(lane, new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wakeUp(lane);
                }
            });
        }
    }

    /** A message for {@link #addAll}. */
    public record Message(String topic, String key, byte[] payload, String contentType) {}

    public void add(String topic, String key, byte[] payload, String contentType) {
        addAll(List.of(new Message(topic, key, payload, contentType)));
    }

    /** Adds the messages in order, in one statement (one round trip to PostgreSQL). */
    public void addAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into outbox (topic, message_key, payload, content_type) values ");
        List<Object> args = new ArrayList<>(messages.size() * 4);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
            args.addAll(java.util.Arrays.asList(m.topic(), m.key(), m.payload(), m.contentType()));
        }
        jdbc.update(sql.toString(), args.toArray());
        for (OutboxRelay.Lane lane : messages.stream().map(m -> OutboxRelay.Lane.of(m.topic())).distinct().toList()) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                relay.wakeUp(lane); // no transaction: the row is committed already
            } else if (!TransactionSynchronizationManager.getSynchronizations().contains(wakeLane.get(lane))) {
                TransactionSynchronizationManager.registerSynchronization(wakeLane.get(lane));
            }
        }
    }
}
