package io.ferry.orchestrator.submit;

import static io.ferry.orchestrator.support.Untrusted.forText;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Requests that never became a migration, kept with their reason where operators can query them. */
@Repository
public class Rejections {
    private final JdbcTemplate jdbc;

    public Rejections(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes whatever the request held: its strings are untrusted and text columns cannot hold NUL, so NUL is stored
     * escaped (the dead letter keeps the original bytes).
     */
    public void record(String requestId, String vmId, String channel, RejectedRequestException rejection, Instant at,
            String source) {
        jdbc.update("insert into request_rejections (request_id, vm_id, channel, reason, detail, received_at, source) "
                + "values (?, ?, ?, ?, ?, ?, ?)", forText(requestId), forText(vmId), channel, rejection.reason().name(),
                forText(rejection.getMessage()), Timestamp.from(at), forText(source));
    }
}
