package io.ferry.orchestrator.migrations;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.MigrationState.Plan;
import io.ferry.orchestrator.core.MigrationState.Progress;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.api.Where;
import io.ferry.schema.MigrationStatus;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code migrations} read model's one owner besides the API's views ({@link MigrationQueries}, same package): it
 * keeps the table in step with the log, in the same transaction as the append (its unique index on a VM's active
 * migration is what refuses a second one, so this must fail the append, not follow it), and answers the questions the
 * orchestrator's loops ask of it. No other class writes or reads the table.
 */
@Repository
@Order(10)
public class MigrationsReadModel implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    /** The partial unique index migrations_one_active_per_vm (V1) covers rows in none of these states. */
    private static final String ACTIVE = "state not in (" + MigrationStatus.sqlList(MigrationStatus.TERMINAL)
            + ", 'REJECTED')";
    private static final String[] IN_FLIGHT = MigrationStatus.IN_FLIGHT.stream().map(Enum::name).toArray(String[]::new);
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    MigrationsReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A migration waiting for a slot, and the host it would leave. */
    public record Queued(UUID migrationId, String sourceHost) {}

    /** A WHERE fragment on the table's columns and its arguments, for a query that starts from it. */
    public record Matching(String sql, List<Object> args) {}

    public Optional<UUID> idByRequestId(String requestId) {
        return jdbc.query("select migration_id from migrations where request_id = ?",
                (rs, i) -> rs.getObject(1, UUID.class), requestId).stream().findFirst();
    }

    /** Whether the VM has a migration the one-active-per-VM index still counts (the same predicate, so its plan). */
    public boolean hasActiveMigration(String vmId) {
        return activeMigration(vmId).isPresent();
    }

    /** A VM's migration still under way: where it goes, and the drain that asked for it (null: none). */
    public record Active(UUID migrationId, String sourceHost, String destinationHost, UUID drainId) {}

    /** The VM's migration the one-active-per-VM index counts, if any. */
    public Optional<Active> activeMigration(String vmId) {
        return jdbc.query("select migration_id, source_host, destination_host, drain_id from migrations where vm_id = ? and "
                + ACTIVE, (rs, i) -> new Active(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                rs.getObject(4, UUID.class)), vmId).stream().findFirst();
    }

    /** Migrations holding a slot, per source host. */
    public Map<String, Integer> inFlightBySource() {
        return inFlightBy("source_host");
    }

    /** Queued migrations in admission order, at most {@code limit}: a drain's moves first, then the oldest. */
    public List<Queued> queued(int limit) {
        return jdbc.query("select migration_id, source_host from migrations where state = '" + MigrationStatus.QUEUED
                + "' order by (drain_id is null), created_at, migration_id limit ?",
                (rs, i) -> new Queued(rs.getObject(1, UUID.class), rs.getString(2)), limit);
    }

    /** One completed migration: its VM's memory and how long it ran from admission to completion. */
    public record Duration(int memoryMb, long ms) {}

    /** The newest completed migrations' durations, at most {@code limit}, for predicting how long a move takes. */
    public List<Duration> recentDurations(int limit) {
        return jdbc.query("""
                select m.memory_mb, (extract(epoch from c.recorded_at - a.recorded_at) * 1000)::bigint
                from migrations m
                join migration_events a on a.migration_id = m.migration_id and a.type = 'MigrationAdmitted'
                join migration_events c on c.migration_id = m.migration_id and c.type = 'MigrationCompleted'
                where m.state = 'COMPLETED' and m.memory_mb is not null
                order by m.updated_at desc limit ?""", (rs, i) -> new Duration(rs.getInt(1), rs.getLong(2)), limit);
    }

    /**
     * One completed migration as the estimate's history reads it.
     *
     * @param capMbps its bandwidth cap (0: uncapped)
     * @param round1Mbps the rate its round 1 reached on the wire (its bytes over its time)
     * @param precopyMs its rounds' time
     * @param round1ThroughputMbps the throughput its driver reported at the end of round 1 (QEMU: its recent rate)
     * @param streamWaitMs from the source connecting to round 1's start, less the round itself: an uncapped stream's
     *     wait for the destination to fault in its memory (0 when unknown)
     * @param laterRoundsMbps the rate of its rounds after the first (their bytes over their time; 0: it had none)
     */
    public record Precopied(long totalMs, long downtimeMs, long precopyMs, int capMbps, double round1Mbps,
            double round1ThroughputMbps, long streamWaitMs, String sourceHost, String destinationHost,
            double laterRoundsMbps) {
        public Precopied(long totalMs, long downtimeMs, long precopyMs, int capMbps, double round1Mbps,
                double round1ThroughputMbps, long streamWaitMs, String sourceHost, String destinationHost) {
            this(totalMs, downtimeMs, precopyMs, capMbps, round1Mbps, round1ThroughputMbps, streamWaitMs, sourceHost,
                    destinationHost, 0);
        }

        public Precopied(long totalMs, long downtimeMs, long precopyMs, int capMbps, double round1Mbps,
                double round1ThroughputMbps, long streamWaitMs) {
            this(totalMs, downtimeMs, precopyMs, capMbps, round1Mbps, round1ThroughputMbps, streamWaitMs, "", "");
        }

        public Precopied(long totalMs, long downtimeMs, long precopyMs, int capMbps, double round1Mbps) {
            this(totalMs, downtimeMs, precopyMs, capMbps, round1Mbps, round1Mbps, 0);
        }

        /** Whether it went from {@code source} to {@code destination}. */
        public boolean went(String source, String destination) {
            return sourceHost.equals(source) && destinationHost.equals(destination);
        }
    }

    /** The newest completed migrations' totals, rounds and round-1 rate, at most {@code limit}: the estimate's history. */
    public List<Precopied> recentPrecopies(int limit) {
        return recentPrecopies("""
                (select * from migrations m where m.state = 'COMPLETED' and m.total_ms is not null
                  order by m.updated_at desc limit ?)""", limit);
    }

    /**
     * The same of two hosts' migrations either way, in one read: the newest {@code limit} of each direction and of the
     * two together (at most twice {@code limit} rows), newest first. An estimate wants the route's own newest and,
     * until the route has enough, the pair's.
     */
    public List<Precopied> recentPrecopiesBetween(String one, String other, int limit) {
        return recentPrecopies("""
                (select * from (select m.*, row_number() over (partition by m.source_host order by m.updated_at desc) as nth_one_way,
                        row_number() over (order by m.updated_at desc) as nth
                     from migrations m where m.state = 'COMPLETED' and m.total_ms is not null
                      and ((m.source_host = ? and m.destination_host = ?) or (m.source_host = ? and m.destination_host = ?))) m
                  where m.nth <= ? or m.nth_one_way <= ?)""", one, other, other, one, limit, limit);
    }

    /** {@code from}: the migrations to read, a derived table of {@code migrations} rows. */
    private List<Precopied> recentPrecopies(String from, Object... args) {
        return jdbc.query("""
                select m.total_ms, coalesce(m.downtime_ms, 0),
                    (select coalesce(sum((e.payload_json->'progress'->>'roundMs')::bigint), 0) from migration_events e
                      where e.migration_id = m.migration_id and e.type = 'PrecopyRoundCompleted'),
                    (select (e.payload_json->'policy'->>'bandwidthMbps')::int from migration_events e
                      where e.migration_id = m.migration_id and e.version = 1),
                    (select (e.payload_json->'progress'->>'bytesSent')::bigint * 8.0 / 1000
                            / nullif((e.payload_json->'progress'->>'roundMs')::bigint, 0)
                       from migration_events e where e.migration_id = m.migration_id and e.type = 'PrecopyRoundCompleted'
                        and (e.payload_json->'progress'->>'round')::int = 1 limit 1),
                    (select (e.payload_json->'progress'->>'throughputMbps')::float8
                       from migration_events e where e.migration_id = m.migration_id and e.type = 'PrecopyRoundCompleted'
                        and (e.payload_json->'progress'->>'round')::int = 1 limit 1),
                    (select greatest(0, extract(epoch from r.recorded_at - c.recorded_at) * 1000
                            - (r.payload_json->'progress'->>'roundMs')::bigint)
                       from migration_events r join migration_events c on c.migration_id = r.migration_id
                      where r.migration_id = m.migration_id and c.type = 'SourceConnected'
                        and r.type = 'PrecopyRoundCompleted' and (r.payload_json->'progress'->>'round')::int = 1 limit 1),
                    m.source_host, m.destination_host,
                    (select sum((e.payload_json->'progress'->>'bytesSent')::bigint) * 8.0 / 1000
                            / nullif(sum((e.payload_json->'progress'->>'roundMs')::bigint), 0)
                       from migration_events e where e.migration_id = m.migration_id and e.type = 'PrecopyRoundCompleted'
                        and (e.payload_json->'progress'->>'round')::int >= 2)
                from """ + from + """
                 m order by m.updated_at desc""", (rs, i) -> new Precopied(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                rs.getInt(4), rs.getDouble(5), rs.getDouble(6), Math.round(rs.getDouble(7)), rs.getString(8), rs.getString(9),
                rs.getDouble(10)),
                args);
    }

    /**
     * A VM's newest {@code limit} migrations, in any state, that ran a throttled round and whose estimate rested on a
     * sample: each with the sample's rate and its rounds, newest first. Beside each other they say how much slower the
     * guest dirtied pages while throttled under its own migration than sampled alone.
     */
    public List<io.ferry.hypervisor.estimate.SampledPrecopy> recentThrottledPrecopies(String vmId, int limit) {
        Map<UUID, Double> sampled = new java.util.LinkedHashMap<>();
        Map<UUID, Long> pages = new java.util.HashMap<>();
        Map<UUID, List<io.ferry.hypervisor.estimate.RecordedPrecopy.Round>> rounds = new java.util.HashMap<>();
        jdbc.query("""
                select m.migration_id, (m.estimate->>'sampledDirtyPagesPerSec')::float8, m.memory_mb,
                    (e.payload_json->'progress'->>'round')::int, (e.payload_json->'progress'->>'pagesSent')::bigint,
                    (e.payload_json->'progress'->>'bytesSent')::bigint, (e.payload_json->'progress'->>'zeroPages')::bigint,
                    (e.payload_json->'progress'->>'dirtyPagesRemaining')::bigint,
                    (e.payload_json->'progress'->>'roundMs')::bigint, (e.payload_json->'progress'->>'throttlePercent')::int
                from (select migration_id, estimate, memory_mb, created_at from migrations
                       where vm_id = ? and (estimate->>'sampledDirtyPagesPerSec')::float8 > 0
                         and exists (select 1 from migration_events t where t.migration_id = migrations.migration_id
                               and t.type = 'PrecopyRoundCompleted'
                               and (t.payload_json->'progress'->>'throttlePercent')::int > 0)
                       order by created_at desc limit ?) m
                join migration_events e on e.migration_id = m.migration_id and e.type = 'PrecopyRoundCompleted'
                order by m.created_at desc, e.version""", rs -> {
            UUID id = rs.getObject(1, UUID.class);
            sampled.putIfAbsent(id, rs.getDouble(2));
            pages.putIfAbsent(id, rs.getLong(3) * 256L);
            rounds.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(new io.ferry.hypervisor.estimate.RecordedPrecopy.Round(
                    rs.getInt(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(10)));
        }, vmId, limit);
        return sampled.entrySet().stream().map(s -> new io.ferry.hypervisor.estimate.SampledPrecopy(s.getValue(),
                new io.ferry.hypervisor.estimate.RecordedPrecopy(pages.get(s.getKey()), rounds.get(s.getKey())))).toList();
    }

    /** Round 1 of a VM's last migration that reached pre-copy: the pages it sent, of them zero pages. */
    public record RoundOne(long pagesSent, long zeroPages) {}

    public Optional<RoundOne> lastRoundOne(String vmId) {
        return jdbc.query("""
                select (e.payload_json->'progress'->>'pagesSent')::bigint, (e.payload_json->'progress'->>'zeroPages')::bigint
                from migrations m join migration_events e on e.migration_id = m.migration_id
                where m.vm_id = ? and e.type = 'PrecopyRoundCompleted' and (e.payload_json->'progress'->>'round')::int = 1
                order by m.created_at desc limit 1""", (rs, i) -> new RoundOne(rs.getLong(1), rs.getLong(2)), vmId)
                .stream().findFirst();
    }

    /** What a migration's recorded estimate said: whether it converges and its total. */
    public record Estimated(boolean converges, long totalMs) {}

    public Optional<Estimated> estimated(UUID migration) {
        return jdbc.query("select (estimate->>'converges')::boolean, (estimate->>'totalMs')::bigint from migrations "
                + "where migration_id = ? and estimate is not null", (rs, i) -> new Estimated(rs.getBoolean(1), rs.getLong(2)),
                migration).stream().findFirst();
    }

    /** Migrations in flight towards each host. */
    public Map<String, Integer> inFlightByDestination() {
        return inFlightBy("destination_host");
    }

    private Map<String, Integer> inFlightBy(String hostColumn) {
        Map<String, Integer> perHost = new HashMap<>();
        jdbc.query("select " + hostColumn + ", count(*) from migrations where state = any(?) group by " + hostColumn,
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> perHost.put(rs.getString(1), rs.getInt(2)),
                (Object) IN_FLIGHT);
        return perHost;
    }

    /**
     * Memory promised to each host by migrations still queued towards it: their skeletons have not taken it yet, so
     * the host's reported free memory does not show it.
     */
    public Map<String, Long> queuedMemoryByDestination() {
        Map<String, Long> reserved = new HashMap<>();
        jdbc.query("select destination_host, coalesce(sum(memory_mb), 0) from migrations where state = '"
                + MigrationStatus.QUEUED + "' group by destination_host",
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> reserved.put(rs.getString(1), rs.getLong(2)));
        return reserved;
    }

    public List<UUID> inFlightIds() {
        return jdbc.queryForList("select migration_id from migrations where state = any(?)", UUID.class,
                (Object) IN_FLIGHT);
    }

    /**
     * For each in-flight migration, its hosts whose agent incarnation was first heard after the migration was
     * admitted (both times the database's and the orchestrator's, never an agent's).
     */
    public Map<UUID, Set<String>> inFlightWithRestartedHosts() {
        Map<UUID, Set<String>> restarted = new HashMap<>();
        jdbc.query("""
                select m.migration_id, h.host
                from migrations m
                join hosts h on h.host in (m.source_host, m.destination_host)
                join lateral (select min(e.recorded_at) as admitted_at from migration_events e
                              where e.migration_id = m.migration_id and e.type = 'MigrationAdmitted') a on true
                where m.state = any(?) and h.incarnation_heard_at > a.admitted_at""",
                rs -> {
                    restarted.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashSet<>()).add(rs.getString(2));
                }, (Object) IN_FLIGHT);
        return restarted;
    }

    /** How many migrations are in one of {@code statuses}. */
    public long count(Set<MigrationStatus> statuses) {
        Long n = jdbc.queryForObject("select count(*) from migrations where state in ("
                + MigrationStatus.sqlList(statuses) + ")", Long.class);
        return n == null ? 0 : n;
    }

    /**
     * One migration's row with what its progress needs from the log: the VM's memory from the request and the last
     * pre-copy round's payload. Empty when there is no such migration.
     */
    public Optional<Map<String, Object>> progressRow(UUID id) {
        var rows = jdbc.queryForList(PROGRESS + "where m.migration_id = ?", id);
        return rows.stream().findFirst();
    }

    /**
     * {@link #progressRow} of many migrations in one query (a drain's moves), by migration id; one absent from the
     * map has no row.
     */
    public Map<UUID, Map<String, Object>> progressRows(java.util.Collection<UUID> ids) {
        Map<UUID, Map<String, Object>> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        for (Map<String, Object> row : jdbc.queryForList(PROGRESS + "where m.migration_id = any(?)",
                (Object) ids.toArray(UUID[]::new))) {
            rows.put((UUID) row.get("migration_id"), row);
        }
        return rows;
    }

    private static final String PROGRESS = """
            select m.migration_id, m.version, m.state, m.rounds, m.pages_sent, m.bytes_sent, m.downtime_ms, m.total_ms,
                m.failure_reason, m.failure_detail, m.drain_id,
                (select (payload_json->'vm'->>'memoryMb')::int from migration_events
                  where migration_id = m.migration_id and version = 1) as memory_mb,
                (select payload_json::text from migration_events where migration_id = m.migration_id
                  and type = 'PrecopyRoundCompleted' order by version desc limit 1) as last_round
            from migrations m
            """;

    /**
     * The migrations of a VM, a host (source or destination) and an outcome, each null for any, as the rows a query
     * starts from: {@code select migration_id, vm_id, source_host, destination_host from migrations where ...}.
     */
    public static Matching matching(String vmId, String host, String outcome) {
        Where where = new Where().eq("vm_id", vmId).either("source_host", "destination_host", host).eq("state", outcome);
        return new Matching("select migration_id, vm_id, source_host, destination_host from migrations" + where,
                where.args());
    }

    @Override
    public void inTransaction(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        MigrationState state = a.after();
        Row row = Row.of(state);
        jdbc.update("""
                insert into migrations (migration_id, request_id, vm_id, source_host, destination_host, state, failure_reason,
                    failure_detail, requested_by, channel, version, created_at, updated_at, total_ms, downtime_ms, rounds,
                    pages_sent, bytes_sent, downtime_breakdown, memory_mb, drain_id, placement, estimate)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb)
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
                row.progress.breakdown() == null ? null : json.writeValueAsString(row.progress.breakdown()),
                row.plan.vm().memoryMb(), row.plan.drain() == null ? null : row.plan.drain().value(),
                row.plan.placement() == null ? null : json.writeValueAsString(placement(row.plan.placement())),
                forecast(a));
    }

    /** The estimate the first event carries, as the API shows it; null on later appends (the column keeps it). */
    private String forecast(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        return a.added().stream().map(io.ferry.orchestrator.decision.Recorded::event)
                .filter(e -> e instanceof MigrationEvent.MigrationRequested r && r.forecast() != null)
                .map(e -> json.writeValueAsString(((MigrationEvent.MigrationRequested) e).forecast())).findFirst()
                .orElse(null);
    }

    /** As the API shows it: host names as plain strings. */
    private static Map<String, Object> placement(io.ferry.orchestrator.core.Placement p) {
        return Map.of("chosen", p.chosen().value(), "why", p.why(), "ruledOut", p.ruledOut().stream()
                .map(r -> Map.of("host", r.host().value(), "reason", r.reason())).toList());
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
