package io.ferry.orchestrator.api;

import io.ferry.schema.MigrationStatus;
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

    /** @param downtimeBreakdown where the blackout went, µs per phase; null until resumed or if the agents did not say */
    record MigrationView(UUID migrationId, String requestId, String vmId, String sourceHost, String destinationHost,
            String state, String failureReason, String failureDetail, String requestedBy, String channel, int version,
            Instant createdAt, Instant updatedAt, Long totalMs, Long downtimeMs, Integer rounds, Long pagesSent,
            Long bytesSent, JsonNode downtimeBreakdown) {}

    record HistoryEntry(long position, int version, String type, Instant recordedAt, String actor, String causationId,
            JsonNode payload) {}

    record Page<T>(List<T> items, int page, int size, long total) {}

    /** Filters of the migrations list; null means "any". {@code host} matches the source or the destination. */
    record Filter(String vmId, String host, String state, String outcome, String requestId, Instant from, Instant to) {}

    static final List<String> OUTCOMES = MigrationStatus.names(MigrationStatus.TERMINAL);
    /** Every state a migration's row can hold, in the order they come: what the list's {@code state} filter takes. */
    static final List<String> STATES = java.util.Arrays.stream(MigrationStatus.values()).map(Enum::name).toList();

    Page<MigrationView> list(Filter f, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (f.vmId() != null) {
            where.append(" and vm_id = ?");
            args.add(f.vmId());
        }
        if (f.host() != null) {
            where.append(" and (source_host = ? or destination_host = ?)");
            args.add(f.host());
            args.add(f.host());
        }
        if (f.state() != null) {
            where.append(" and state = ?");
            args.add(f.state());
        }
        if (f.outcome() != null) {
            where.append(" and state = ?");
            args.add(f.outcome());
        }
        if (f.requestId() != null) {
            where.append(" and request_id = ?");
            args.add(f.requestId());
        }
        if (f.from() != null) {
            where.append(" and created_at >= ?");
            args.add(java.sql.Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            where.append(" and created_at < ?");
            args.add(java.sql.Timestamp.from(f.to()));
        }
        return page("select count(*) from migrations" + where, "select * from migrations" + where
                + " order by created_at desc, migration_id", args, (rs, i) -> view(rs), page, size);
    }

    record AuditEntry(UUID migrationId, String vmId, String sourceHost, String destinationHost, int version, String type,
            Instant recordedAt, String actor, String causationId, JsonNode payload) {}

    record AuditFilter(String vmId, String host, String outcome, String actor, String type, Instant from, Instant to) {}

    /** Entries of the log across migrations, newest first; one migration's history stays on its (id, version) index. */
    Page<AuditEntry> audit(AuditFilter f, int page, int size) {
        // Migrations are filtered first (on their own indexes) and materialized, so a VM's or host's trail is read
        // through the (migration_id, version) index instead of scanning the whole log newest-first.
        StringBuilder migrations = new StringBuilder("select migration_id, vm_id, source_host, destination_host "
                + "from migrations where true");
        List<Object> args = new ArrayList<>();
        if (f.vmId() != null) {
            migrations.append(" and vm_id = ?");
            args.add(f.vmId());
        }
        if (f.host() != null) {
            migrations.append(" and (source_host = ? or destination_host = ?)");
            args.add(f.host());
            args.add(f.host());
        }
        if (f.outcome() != null) {
            migrations.append(" and state = ?");
            args.add(f.outcome());
        }
        StringBuilder where = new StringBuilder(" where true");
        if (f.actor() != null) {
            where.append(" and e.actor = ?");
            args.add(f.actor());
        }
        if (f.type() != null) {
            where.append(" and e.type = ?");
            args.add(f.type());
        }
        if (f.from() != null) {
            where.append(" and e.recorded_at >= ?");
            args.add(java.sql.Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            where.append(" and e.recorded_at < ?");
            args.add(java.sql.Timestamp.from(f.to()));
        }
        boolean byMigration = f.vmId() != null || f.host() != null || f.outcome() != null;
        String from = "with m as " + (byMigration ? "materialized " : "") + "(" + migrations + ")"
                + " select %s from migration_events e join m using (migration_id)" + where;
        return page(from.formatted("count(*)"), from.formatted("e.migration_id, m.vm_id, m.source_host, "
                + "m.destination_host, e.version, e.type, e.recorded_at, e.actor, e.causation_id, e.payload_json::text")
                + " order by e.position desc", args, (rs, i) -> new AuditEntry(rs.getObject(1, UUID.class),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
                rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9), json.readTree(rs.getString(10))),
                page, size);
    }

    record RejectionView(long id, String requestId, String vmId, String channel, String reason, String detail,
            Instant receivedAt, String source) {}

    Page<RejectionView> rejections(String reason, Instant from, Instant to, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (reason != null) {
            where.append(" and reason = ?");
            args.add(reason);
        }
        if (from != null) {
            where.append(" and received_at >= ?");
            args.add(java.sql.Timestamp.from(from));
        }
        if (to != null) {
            where.append(" and received_at < ?");
            args.add(java.sql.Timestamp.from(to));
        }
        return page("select count(*) from request_rejections" + where, "select id, request_id, vm_id, channel, reason, "
                + "detail, received_at, source from request_rejections" + where + " order by received_at desc, id desc",
                args, (rs, i) -> new RejectionView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8)), page, size);
    }

    /** One page of {@code select} (ordered, without limit), and the total that {@code count} finds. */
    private <T> Page<T> page(String count, String select, List<Object> args,
            org.springframework.jdbc.core.RowMapper<T> mapper, int page, int size) {
        Long total = jdbc.queryForObject(count, Long.class, args.toArray());
        List<Object> paged = new ArrayList<>(args);
        paged.add(size);
        paged.add((long) page * size);
        List<T> items = jdbc.query(select + " limit ? offset ?", mapper, paged.toArray());
        return new Page<>(items, page, size, total == null ? 0 : total);
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

    private MigrationView view(ResultSet rs) throws SQLException {
        String breakdown = rs.getString("downtime_breakdown");
        return new MigrationView(rs.getObject("migration_id", UUID.class), rs.getString("request_id"), rs.getString("vm_id"),
                rs.getString("source_host"), rs.getString("destination_host"), rs.getString("state"),
                rs.getString("failure_reason"), rs.getString("failure_detail"), rs.getString("requested_by"),
                rs.getString("channel"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), (Long) rs.getObject("total_ms"), (Long) rs.getObject("downtime_ms"),
                (Integer) rs.getObject("rounds"), (Long) rs.getObject("pages_sent"), (Long) rs.getObject("bytes_sent"),
                breakdown == null ? null : json.readTree(breakdown));
    }
}
