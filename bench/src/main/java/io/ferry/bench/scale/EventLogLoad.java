package io.ferry.bench.scale;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event log's capacity, with synthetic load in a scratch database with ferry's schema (not through the
 * orchestrator): the log is filled to N events, then W writers append for S seconds, each append a transaction of two
 * events with their expected versions, first one insert statement per event (as {@code EventStore.append} did before
 * issue 13), then one statement per append (as it does now); meanwhile one
 * reader times one migration's history (the query of {@code EventStore.load}) on migrations the writers finished, whose
 * events lie interleaved with the others' as a real log's do. Then the same query again with the writers stopped.
 */
final class EventLogLoad {
    static final String HISTORY = "select position, event_id, migration_id, version, type, payload, payload_json::text, "
            + "causation_id, correlation_id, actor, recorded_at from migration_events where migration_id = ? order by version";
    private static final String APPEND = """
            insert into migration_events (event_id, migration_id, version, type, payload, payload_json, causation_id,
                correlation_id, actor, recorded_at) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) returning position""";
    private static final int EVENTS_PER_MIGRATION = 24;
    private static final int EVENTS_PER_APPEND = 2;
    private static final byte[] PAYLOAD = new byte[180];
    private static final String JSON = "{\"progress\": {\"round\": 1, \"pagesSent\": 16384, \"bytesSent\": 67108864}}";

    private EventLogLoad() {}

    static ObjectNode run(long fillEvents, int writers, int seconds) throws Exception {
        ObjectNode out = Rest.JSON.createObjectNode();
        try (DatabaseHandle db = Databases.forTests()) {
            Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password())
                    .locations("classpath:db/migration").load().migrate();
            long t0 = System.nanoTime();
            try (Connection c = connect(db)) {
                fill(c, fillEvents);
                try (Statement s = c.createStatement()) {
                    s.execute("analyze migration_events");
                }
            }
            out.put("filledEvents", fillEvents).put("fillS", (System.nanoTime() - t0) / 1e9);

            ConcurrentLinkedQueue<UUID> finished = new ConcurrentLinkedQueue<>();
            // before: one insert statement per event (EventStore until issue 13); after: one per append
            Phase perEvent = appendPhase(db, writers, seconds, false, finished);
            Phase perAppend = appendPhase(db, writers, seconds, true, finished);
            out.put("writers", writers).put("seconds", perAppend.seconds()).put("eventsPerTransaction", EVENTS_PER_APPEND);
            out.put("appendsPerSecond", perAppend.eventsPerSecond())
                    .put("transactionsPerSecond", perAppend.transactionsPerSecond())
                    .put("appendsPerSecondOneStatementPerEvent", perEvent.eventsPerSecond())
                    .put("transactionsPerSecondOneStatementPerEvent", perEvent.transactionsPerSecond())
                    .put("afterOverBefore", perAppend.eventsPerSecond() / perEvent.eventsPerSecond());
            ScaleBench.put(out, "historyUnderLoadMs", Percentiles.of(perAppend.history()));
            ScaleBench.put(out, "historyUnderLoadOneStatementPerEventMs", Percentiles.of(perEvent.history()));
            try (Connection c = connect(db); PreparedStatement q = c.prepareStatement(HISTORY)) {
                try (Statement s = c.createStatement()) {
                    s.execute("analyze migration_events");
                    try (ResultSet rs = s.executeQuery("select count(*) from migration_events")) {
                        rs.next();
                        out.put("eventsInLog", rs.getLong(1));
                    }
                }
                List<UUID> probes = new ArrayList<>(finished);
                for (int i = 0; i < 50; i++) {
                    time(q, probes.get(i % probes.size())); // plan cache and buffers warm, as in a running service
                }
                List<Double> idle = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    idle.add(time(q, probes.get(ThreadLocalRandom.current().nextInt(probes.size()))));
                }
                ScaleBench.put(out, "historyMs", Percentiles.of(idle));
                out.put("historyEvents", EVENTS_PER_MIGRATION);
            }
        }
        return out;
    }

    record Phase(long events, long transactions, double seconds, List<Double> history) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double transactionsPerSecond() {
            return transactions / seconds;
        }
    }

    /** W writers appending for S seconds while one reader times histories of migrations they finished. */
    private static Phase appendPhase(DatabaseHandle db, int writers, int seconds, boolean oneStatement,
            ConcurrentLinkedQueue<UUID> finished) throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicLong transactions = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < writers; w++) {
            threads.add(Thread.ofPlatform().name("appender-" + w).start(() -> {
                try (Connection c = connect(db)) {
                    c.setAutoCommit(false);
                    try (PreparedStatement one = c.prepareStatement(APPEND);
                            PreparedStatement many = c.prepareStatement(appendMany(EVENTS_PER_APPEND))) {
                        while (!stop.get()) {
                            UUID m = UUID.randomUUID();
                            for (int v = 1; v <= EVENTS_PER_MIGRATION && !stop.get(); v += EVENTS_PER_APPEND) {
                                if (oneStatement) {
                                    for (int k = 0; k < EVENTS_PER_APPEND; k++) {
                                        bind(many, k * 10, m, v + k);
                                    }
                                    try (ResultSet rs = many.executeQuery()) {
                                        while (rs.next()) {
                                            rs.getLong(2);
                                        }
                                    }
                                } else {
                                    for (int k = 0; k < EVENTS_PER_APPEND; k++) {
                                        bind(one, 0, m, v + k);
                                        try (ResultSet rs = one.executeQuery()) {
                                            rs.next();
                                        }
                                    }
                                }
                                c.commit();
                                events.addAndGet(EVENTS_PER_APPEND);
                                transactions.incrementAndGet();
                            }
                            finished.add(m);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        List<Double> underLoad = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (Connection c = connect(db); PreparedStatement q = c.prepareStatement(HISTORY)) {
            while (System.nanoTime() < end) {
                UUID m = pick(finished);
                if (m == null) {
                    Thread.sleep(5);
                    continue;
                }
                underLoad.add(time(q, m));
            }
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!errors.isEmpty()) {
            throw new IllegalStateException("an appender failed", errors.getFirst());
        }
        return new Phase(events.get(), transactions.get(), elapsed, underLoad);
    }

    /** The shape of EventStore.append since issue 13: every event of the append in one insert. */
    private static String appendMany(int n) {
        StringBuilder sql = new StringBuilder("insert into migration_events (event_id, migration_id, version, type, "
                + "payload, payload_json, causation_id, correlation_id, actor, recorded_at) values ");
        for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)");
        }
        return sql.append(" returning version, position").toString();
    }

    private static UUID pick(ConcurrentLinkedQueue<UUID> finished) {
        UUID last = null;
        int n = ThreadLocalRandom.current().nextInt(1, 64);
        for (UUID u : finished) {
            last = u;
            if (--n == 0) {
                break;
            }
        }
        return last;
    }

    private static double time(PreparedStatement q, UUID m) throws SQLException {
        long t = System.nanoTime();
        q.setObject(1, m);
        int rows = 0;
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rs.getBytes(6);
                rs.getString(7);
                rows++;
            }
        }
        if (rows == 0) {
            throw new IllegalStateException("no history for " + m);
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private static void bind(PreparedStatement insert, int at, UUID m, int version) throws SQLException {
        insert.setObject(at + 1, UUID.randomUUID());
        insert.setObject(at + 2, m);
        insert.setInt(at + 3, version);
        insert.setString(at + 4, "PrecopyRoundCompleted");
        insert.setBytes(at + 5, PAYLOAD);
        insert.setString(at + 6, JSON);
        insert.setString(at + 7, "outcome-" + version);
        insert.setString(at + 8, "bench-" + m);
        insert.setString(at + 9, "agent:hv-01");
        insert.setTimestamp(at + 10, Timestamp.from(Instant.now()));
    }

    /** The log filled with {@code events} events of other migrations, 100,000 per statement. */
    private static void fill(Connection c, long events) throws SQLException {
        long migrations = events / EVENTS_PER_MIGRATION;
        long chunk = 100_000 / EVENTS_PER_MIGRATION;
        try (PreparedStatement s = c.prepareStatement("""
                insert into migration_events (event_id, migration_id, version, type, payload, payload_json,
                    correlation_id, actor, recorded_at)
                select gen_random_uuid(), m.id, v, 'PrecopyRoundCompleted', ?, ?::jsonb, 'bench', 'agent:hv-01', now()
                from (select gen_random_uuid() id from generate_series(1, ?)) m, generate_series(1, ?) v""")) {
            for (long done = 0; done < migrations; done += chunk) {
                s.setBytes(1, PAYLOAD);
                s.setString(2, JSON);
                s.setLong(3, Math.min(chunk, migrations - done));
                s.setInt(4, EVENTS_PER_MIGRATION);
                s.executeUpdate();
            }
        }
    }

    private static Connection connect(DatabaseHandle db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }
}
