package io.ferry.orchestrator.outbox;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Messages to publish, written in the caller's transaction: they exist exactly when the events that caused them do. */
@Repository
public class Outbox {
    public static final String AVRO = "application/vnd.apache.avro+binary";
    public static final String JSON = "application/json";
    private final JdbcTemplate jdbc;

    public Outbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void add(String topic, String key, byte[] payload, String contentType) {
        jdbc.update("insert into outbox (topic, message_key, payload, content_type) values (?, ?, ?, ?)", topic, key, payload,
                contentType);
    }
}
