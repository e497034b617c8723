package io.ferry.orchestrator.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Read side for the API and the CLI: the migrations read model and the event log. */
@Repository
class MigrationQueries {
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    MigrationQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record MigrationView(UUID migrationId, String requestId, String vmId, String sourceHost, String destinationHost,
            String state, String failureReason, String failureDetail, String requestedBy, String channel, int version,
            Instant createdAt, Instant updatedAt, Long totalMs, Long downtimeMs, Integer rounds, Long pagesSent,
            Long bytesSent) {}

    record HistoryEntry(long position, int version, String type, Instant recordedAt, String actor, String causationId,
            JsonNode payload) {}

    List<MigrationView> list(String vmId, String state, String requestId, int limit) {
        StringBuilder sql = new StringBuilder("select * from migrations where true");
        List<Object> args = new ArrayList<>();
        if (vmId != null) {
            sql.append(" and vm_id = ?");
            args.add(vmId);
        }
        if (state != null) {
            sql.append(" and state = ?");
            args.add(state);
        }
        if (requestId != null) {
            sql.append(" and request_id = ?");
            args.add(requestId);
        }
        sql.append(" order by created_at desc limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> view(rs), args.toArray());
    }

    Optional<MigrationView> one(UUID id) {
        return jdbc.query("select * from migrations where migration_id = ?", (rs, i) -> view(rs), id).stream().findFirst();
    }

    List<HistoryEntry> history(UUID id) {
        return jdbc.query("select position, version, type, recorded_at, actor, causation_id, payload_json::text "
                + "from migration_events where migration_id = ? order by version", (rs, i) -> new HistoryEntry(rs.getLong(1),
                rs.getInt(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6),
                json.readTree(rs.getString(7))), id);
    }

    private static MigrationView view(ResultSet rs) throws SQLException {
        return new MigrationView(rs.getObject("migration_id", UUID.class), rs.getString("request_id"), rs.getString("vm_id"),
                rs.getString("source_host"), rs.getString("destination_host"), rs.getString("state"),
                rs.getString("failure_reason"), rs.getString("failure_detail"), rs.getString("requested_by"),
                rs.getString("channel"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), (Long) rs.getObject("total_ms"), (Long) rs.getObject("downtime_ms"),
                (Integer) rs.getObject("rounds"), (Long) rs.getObject("pages_sent"), (Long) rs.getObject("bytes_sent"));
    }
}
