package io.ferry.orchestrator.migrations;

import io.ferry.orchestrator.api.Page;
import io.ferry.orchestrator.api.Where;
import io.ferry.schema.MigrationStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Read side of the migrations read model, for the API and the CLI. */
@Repository
public class MigrationQueries {
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    MigrationQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param downtimeBreakdown where the blackout went, µs per phase; null until resumed or if the agents did not say
     * @param placement how ferry chose the destination (chosen, why, ruledOut); null when the request named it
     * @param drainId the host drain this migration is a move of, or null
     * @param estimate what the model predicted at request time (converges, rounds, totalMs, downtimeMs, ...) and, once
     *     it ended, the actual beside it (actualTotalMs, actualDowntimeMs, actualConverged, totalErrorRatio,
     *     verdictRight); null for a migration requested before estimates
     */
    public record MigrationView(UUID migrationId, String requestId, String vmId, String sourceHost, String destinationHost,
            String state, String failureReason, String failureDetail, String requestedBy, String channel, int version,
            Instant createdAt, Instant updatedAt, Long totalMs, Long downtimeMs, Integer rounds, Long pagesSent,
            Long bytesSent, JsonNode downtimeBreakdown, JsonNode placement, UUID drainId, JsonNode estimate) {}

    /** Filters of the migrations list; null means "any". {@code host} matches the source or the destination. */
    public record Filter(String vmId, String host, String state, String outcome, String requestId, Instant from, Instant to) {}

    public static final List<String> OUTCOMES = MigrationStatus.names(MigrationStatus.TERMINAL);
    /** Every state a migration's row can hold, in the order they come: what the list's {@code state} filter takes. */
    public static final List<String> STATES = java.util.Arrays.stream(MigrationStatus.values()).map(Enum::name).toList();

    Page<MigrationView> list(Filter f, int page, int size) {
        Where where = new Where().eq("vm_id", f.vmId()).either("source_host", "destination_host", f.host())
                .eq("state", f.state()).eq("state", f.outcome()).eq("request_id", f.requestId())
                .between("created_at", f.from(), f.to());
        return Page.query(jdbc, "select count(*) from migrations" + where, "select * from migrations" + where
                + " order by created_at desc, migration_id", where.args(), (rs, i) -> view(rs), page, size);
    }

    public Optional<MigrationView> one(UUID id) {
        return jdbc.query("select * from migrations where migration_id = ?", (rs, i) -> view(rs), id).stream().findFirst();
    }

    private MigrationView view(ResultSet rs) throws SQLException {
        String breakdown = rs.getString("downtime_breakdown");
        return new MigrationView(rs.getObject("migration_id", UUID.class), rs.getString("request_id"), rs.getString("vm_id"),
                rs.getString("source_host"), rs.getString("destination_host"), rs.getString("state"),
                rs.getString("failure_reason"), rs.getString("failure_detail"), rs.getString("requested_by"),
                rs.getString("channel"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), (Long) rs.getObject("total_ms"), (Long) rs.getObject("downtime_ms"),
                (Integer) rs.getObject("rounds"), (Long) rs.getObject("pages_sent"), (Long) rs.getObject("bytes_sent"),
                breakdown == null ? null : json.readTree(breakdown),
                rs.getString("placement") == null ? null : json.readTree(rs.getString("placement")),
                rs.getObject("drain_id", UUID.class), estimate(rs));
    }

    /** The recorded estimate, with the actual beside it once the migration ended. */
    private JsonNode estimate(ResultSet rs) throws SQLException {
        String recorded = rs.getString("estimate");
        if (recorded == null) {
            return null;
        }
        tools.jackson.databind.node.ObjectNode node = (tools.jackson.databind.node.ObjectNode) json.readTree(recorded);
        // the remedies as GET /api/estimate names them, for readers of either (the console renders this object)
        if (node.path("converges").asBoolean(true)) {
            node.putNull("remedies");
        } else {
            tools.jackson.databind.node.ObjectNode remedies = node.putObject("remedies");
            remedies.set("bandwidthMbps", node.get("bandwidthNeededMbps"));
            remedies.set("autoConvergeThrottlePercent", node.get("autoConvergeThrottlePercent"));
            remedies.set("maxDowntimeMs", node.get("maxDowntimeNeededMs"));
        }
        MigrationStatus state = MigrationStatus.valueOf(rs.getString("state"));
        if (!MigrationStatus.TERMINAL.contains(state)) {
            return node;
        }
        Long total = (Long) rs.getObject("total_ms");
        long actualTotal = total != null ? total : java.time.Duration.between(rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant()).toMillis();
        Long downtime = (Long) rs.getObject("downtime_ms");
        node.put("actualTotalMs", actualTotal);
        node.put("actualDowntimeMs", downtime == null ? 0 : downtime);
        node.put("actualRounds", rs.getObject("rounds") == null ? 0 : rs.getInt("rounds"));
        String reason = rs.getString("failure_reason");
        Boolean converged = io.ferry.orchestrator.core.ConvergeVerdict.of(state == MigrationStatus.COMPLETED,
                reason == null ? null : io.ferry.schema.common.FailureReason.valueOf(reason), downtime != null);
        if (converged == null) { // cancelled, or failed for another reason: nothing to judge the verdict on
            node.putNull("actualConverged");
            node.putNull("verdictRight");
        } else {
            node.put("actualConverged", converged);
            node.put("verdictRight", node.path("converges").asBoolean() == converged);
        }
        if (actualTotal > 0) {
            node.put("totalErrorRatio", Math.round((node.path("totalMs").asLong() - actualTotal) * 1000.0 / actualTotal)
                    / 1000.0);
        }
        return node;
    }
}
