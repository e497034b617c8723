package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.MigrationState.Plan;
import io.ferry.orchestrator.core.MigrationState.Progress;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import java.sql.Timestamp;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the migrations read model in step with the log, in the same transaction as the append: its unique index on
 * a VM's active migration is what refuses a second one, so this must fail the append, not follow it.
 */
@Repository
@Order(10)
class Projection implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    Projection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void inTransaction(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        MigrationState state = a.after();
        Row row = Row.of(state);
        jdbc.update("""
                insert into migrations (migration_id, request_id, vm_id, source_host, destination_host, state, failure_reason,
                    failure_detail, requested_by, channel, version, created_at, updated_at, total_ms, downtime_ms, rounds,
                    pages_sent, bytes_sent, downtime_breakdown)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                on conflict (migration_id) do update set state = excluded.state, failure_reason = excluded.failure_reason,
                    failure_detail = excluded.failure_detail, version = excluded.version, updated_at = excluded.updated_at,
                    total_ms = excluded.total_ms, downtime_ms = excluded.downtime_ms, rounds = excluded.rounds,
                    pages_sent = excluded.pages_sent, bytes_sent = excluded.bytes_sent,
                    downtime_breakdown = excluded.downtime_breakdown""",
                a.stream(), row.plan.requestId().value(), row.plan.vm().vmId().value(), row.plan.source().value(),
                row.plan.destination().value(), state.label(), row.reason, row.detail, row.plan.requestedBy(),
                row.plan.channel().name(), a.versionAfter(), Timestamp.from(row.plan.requestedAt()),
                Timestamp.from(a.meta().recordedAt()), row.totalMs,
                row.progress.downtimeMs() == 0 && row.totalMs == null ? null : row.progress.downtimeMs(),
                row.progress.rounds(), row.progress.pagesSent(), row.progress.bytesSent(),
                row.progress.breakdown() == null ? null : json.writeValueAsString(row.progress.breakdown()));
    }

    private record Row(Plan plan, Progress progress, String reason, String detail, Long totalMs) {
        static Row of(MigrationState state) {
            return switch (state) {
                case MigrationState.Queued q -> new Row(q.plan(), Progress.NONE, null, null, null);
                case MigrationState.Active a -> new Row(a.plan(), a.progress(), null,
                        a.warnings().isEmpty() ? null : String.join("; ", a.warnings()), null);
                case MigrationState.Unwinding u -> switch (u.cause()) {
                    case MigrationState.Cause.Cancel c -> new Row(u.plan(), u.progress(), null,
                            "cancelled by " + c.requestedBy() + " in " + c.stage(), null);
                    case MigrationState.Cause.Failure f -> new Row(u.plan(), u.progress(), f.reason().name(), f.detail(),
                            null);
                };
                case MigrationState.Completed c -> new Row(c.plan(), c.progress(), null,
                        c.warnings().isEmpty() ? null : "completed with warnings: " + String.join("; ", c.warnings()),
                        c.totalMs());
                case MigrationState.Cancelled c -> new Row(c.plan(), c.progress(), null,
                        "cancelled by " + c.requestedBy() + " in " + c.cancelledIn(), null);
                case MigrationState.RolledBack r -> new Row(r.plan(), r.progress(), r.reason().name(), r.detail(), null);
                case MigrationState.Failed f -> new Row(f.plan(), f.progress(), f.reason().name(), f.detail(), null);
                case MigrationState.Absent a -> throw new IllegalStateException("nothing to project for an absent migration");
            };
        }
    }
}
