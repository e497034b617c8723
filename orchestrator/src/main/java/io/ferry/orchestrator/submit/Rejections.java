package io.ferry.orchestrator.submit;

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

    public void record(String requestId, String vmId, String channel, RejectedRequestException rejection, Instant at,
            String source) {
        jdbc.update("insert into request_rejections (request_id, vm_id, channel, reason, detail, received_at, source) "
                + "values (?, ?, ?, ?, ?, ?, ?)", requestId, vmId, channel, rejection.reason().name(), rejection.getMessage(),
                Timestamp.from(at), source);
    }
}
