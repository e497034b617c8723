package io.ferry.orchestrator.audit;

import io.ferry.orchestrator.api.Page;
import io.ferry.orchestrator.api.Where;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Read side of the event log for operators: one migration's history, and the trail across migrations. */
@Repository
class AuditQueries {
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record HistoryEntry(long position, int version, String type, Instant recordedAt, String actor, String causationId,
            JsonNode payload) {}

    record AuditEntry(UUID migrationId, String vmId, String sourceHost, String destinationHost, int version, String type,
            Instant recordedAt, String actor, String causationId, JsonNode payload) {}

    record AuditFilter(String vmId, String host, String outcome, String actor, String type, Instant from, Instant to) {}

    /** Entries of the log across migrations, newest first; one migration's history stays on its (id, version) index. */
    Page<AuditEntry> audit(AuditFilter f, int page, int size) {
        // Migrations are filtered first (on their own indexes) and materialized, so a VM's or host's trail is read
        // through the (migration_id, version) index instead of scanning the whole log newest-first.
        MigrationsReadModel.Matching migrations = MigrationsReadModel.matching(f.vmId(), f.host(), f.outcome());
        Where where = new Where().eq("e.actor", f.actor()).eq("e.type", f.type()).between("e.recorded_at", f.from(), f.to());
        List<Object> args = new ArrayList<>(migrations.args());
        args.addAll(where.args());
        boolean byMigration = f.vmId() != null || f.host() != null || f.outcome() != null;
        String from = "with m as " + (byMigration ? "materialized " : "") + "(" + migrations.sql() + ")"
                + " select %s from migration_events e join m using (migration_id)" + where;
        return Page.query(jdbc, from.formatted("count(*)"), from.formatted("e.migration_id, m.vm_id, m.source_host, "
                + "m.destination_host, e.version, e.type, e.recorded_at, e.actor, e.causation_id, e.payload_json::text")
                + " order by e.position desc", args, (rs, i) -> new AuditEntry(rs.getObject(1, UUID.class),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
                rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9), json.readTree(rs.getString(10))),
                page, size);
    }

    List<HistoryEntry> history(UUID id) {
        return jdbc.query("select position, version, type, recorded_at, actor, causation_id, payload_json::text "
                + "from migration_events where migration_id = ? order by version", (rs, i) -> new HistoryEntry(rs.getLong(1),
                rs.getInt(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6),
                json.readTree(rs.getString(7))), id);
    }

}
