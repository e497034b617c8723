package io.ferry.orchestrator.decision;

import org.springframework.jdbc.core.JdbcTemplate;

/** The dedup marks, written in the decision's transaction so a mark exists exactly when the input's events do. */
@org.springframework.stereotype.Repository
public class ProcessedMessages {
    private final JdbcTemplate jdbc;

    public ProcessedMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Marks the key; false when it was marked before. */
    public boolean firstTime(DedupKey key) {
        return jdbc.update("insert into processed_messages (consumer, message_id) values (?, ?) on conflict do nothing",
                key.consumer(), key.messageId()) == 1;
    }
}
