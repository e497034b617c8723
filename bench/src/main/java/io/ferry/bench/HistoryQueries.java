package io.ferry.bench;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * Does one migration's history stay fast when the log holds millions of events? Measures, in one run against a
 * scratch database with ferry's schema: the history query (and the audit query by VM) on a log of one migration
 * (the baseline), then the same queries after filling the log with millions of events of other migrations. Reports
 * medians and the ratio; the plan shows which index answered.
 * Usage: bench/run history [--events N] (default 2,000,000).
 */
final class HistoryQueries {
    private static final String HISTORY = "select position, version, type, recorded_at, actor, causation_id, "
            + "payload_json::text from migration_events where migration_id = ? order by version";
    /** The shape of GET /api/audit?vmId=: the VM's migrations first, materialized, then their events. */
    private static final String AUDIT_BY_VM = "with m as materialized (select migration_id from migrations where vm_id = ?) "
            + "select e.version, e.type, e.recorded_at, e.actor from migration_events e join m using (migration_id) "
            + "order by e.position desc limit 100";
    private static final int EVENTS_PER_MIGRATION = 40;
    /** Migrations per insert statement: one huge statement thrashes the indexes' pages on a small server. */
    private static final long CHUNK = 2_500;

    private HistoryQueries() {}

    static int run(String[] args) throws Exception {
        long events = 2_000_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--events")) {
                events = Long.parseLong(args[++i]);
            } else {
                System.err.println("usage: bench/run history [--events N]");
                return 64;
            }
        }
        try (DatabaseHandle db = Databases.forTests()) {
            Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password())
                    .locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
                UUID probe = UUID.randomUUID();
                insertMigrations(c, probe, "PROBE-VM", 1, 0, 0);
                analyze(c);
                double[] base = {median(c, HISTORY, probe), median(c, AUDIT_BY_VM, "PROBE-VM")};
                long started = System.nanoTime();
                long migrations = events / EVENTS_PER_MIGRATION;
                for (long done = 0, chunk = 1; done < migrations; done += CHUNK, chunk++) {
                    insertMigrations(c, UUID.randomUUID(), "VM", Math.min(CHUNK, migrations - done), 1, (int) chunk);
                }
                analyze(c);
                double fillS = (System.nanoTime() - started) / 1e9;
                double[] big = {median(c, HISTORY, probe), median(c, AUDIT_BY_VM, "PROBE-VM")};
                System.out.printf("log filled with %,d events of %,d migrations in %.1f s%n", events,
                        events / EVENTS_PER_MIGRATION, fillS);
                System.out.printf("%-32s %12s %14s %8s%n", "query (median of 200)", "1 migration", events / 1_000_000.0
                        + "M events", "ratio");
                System.out.printf("%-32s %9.3f ms %11.3f ms %7.2fx%n", "one migration's history", base[0], big[0],
                        big[0] / base[0]);
                System.out.printf("%-32s %9.3f ms %11.3f ms %7.2fx%n", "audit by VM (newest 100)", base[1], big[1],
                        big[1] / base[1]);
                System.out.println("plan of the history query: " + plan(c, probe));
            }
        }
        return 0;
    }

    /** {@code count} migrations of {@value #EVENTS_PER_MIGRATION} events each, the first with id {@code first}. */
    private static void insertMigrations(Connection c, UUID first, String vmPrefix, long count, long offset, int chunk)
            throws SQLException {
        try (PreparedStatement events = c.prepareStatement("""
                with ids as (
                    select n, case when n = 0 then ?::uuid else gen_random_uuid() end as id
                    from generate_series(0, ? - 1) n)
                insert into migrations (migration_id, request_id, vm_id, source_host, destination_host, state,
                    requested_by, channel, version, created_at, updated_at, rounds)
                select id, 'bench-' || id, ? || case when ? = 0 then '' else '-' || (n % 5000)::text end, 'hv-01',
                    'hv-02', 'COMPLETED', 'bench', 'REST', ?, now(), now(), ? from ids""");
                PreparedStatement log = c.prepareStatement("""
                insert into migration_events (event_id, migration_id, version, type, payload, payload_json,
                    correlation_id, actor, recorded_at)
                select gen_random_uuid(), m.migration_id, v, 'PrecopyRoundCompleted', '\\x00'::bytea,
                    '{"progress": {"round": 1}}'::jsonb, m.request_id, 'agent:hv-01', now()
                from migrations m, generate_series(1, ?) v where m.vm_id like ? and m.requested_by = 'bench'
                    and m.rounds = ?""")) {
            events.setObject(1, first);
            events.setLong(2, count);
            events.setString(3, vmPrefix);
            events.setLong(4, offset);
            events.setInt(5, EVENTS_PER_MIGRATION);
            events.setInt(6, chunk);
            events.executeUpdate();
            log.setInt(1, EVENTS_PER_MIGRATION);
            log.setString(2, vmPrefix + "%");
            log.setInt(3, chunk);
            log.executeUpdate();
        }
    }

    private static void analyze(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("analyze migration_events; analyze migrations");
        }
    }

    private static double median(Connection c, String sql, Object arg) throws SQLException {
        double[] ms = new double[200];
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, arg);
            for (int i = 0; i < 20; i++) {
                drain(q); // warm the plan cache and the buffers
            }
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                drain(q);
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static void drain(PreparedStatement q) throws SQLException {
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rs.getString(3);
            }
        }
    }

    private static String plan(Connection c, UUID probe) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("explain " + HISTORY)) {
            q.setObject(1, probe);
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1).trim()).append(" | ");
                }
            }
            return out.toString();
        }
    }
}
