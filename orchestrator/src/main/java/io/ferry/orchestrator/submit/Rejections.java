package io.ferry.orchestrator.submit;

import static io.ferry.orchestrator.support.Untrusted.forText;

import io.ferry.orchestrator.api.Page;
import io.ferry.orchestrator.api.Where;
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

    record RejectionView(long id, String requestId, String vmId, String channel, String reason, String detail,
            Instant receivedAt, String source) {}

    /** Newest first, by reason and time received. */
    Page<RejectionView> list(String reason, Instant from, Instant to, int page, int size) {
        Where where = new Where().eq("reason", reason).between("received_at", from, to);
        return Page.query(jdbc, "select count(*) from request_rejections" + where, "select id, request_id, vm_id, "
                + "channel, reason, detail, received_at, source from request_rejections" + where
                + " order by received_at desc, id desc",
                where.args(), (rs, i) -> new RejectionView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8)), page, size);
    }
}
