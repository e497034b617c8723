package io.ferry.orchestrator.outbox;

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
    /** One instance, registered at most once per transaction however many rows it adds. */
    private final TransactionSynchronization wakeRelay = new TransactionSynchronization() {
        @Override
        public void afterCommit() {
            relay.wakeUp();
        }
    };

    public Outbox(JdbcTemplate jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
    }

    public void add(String topic, String key, byte[] payload, String contentType) {
        jdbc.update("insert into outbox (topic, message_key, payload, content_type) values (?, ?, ?, ?)", topic, key, payload,
                contentType);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            relay.wakeUp(); // no transaction: the row is committed already
        } else if (!TransactionSynchronizationManager.getSynchronizations().contains(wakeRelay)) {
            TransactionSynchronizationManager.registerSynchronization(wakeRelay);
        }
    }
}
