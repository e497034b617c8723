package io.ferry.systemtests;

import io.ferry.devstack.DatabaseHandle;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The orchestrator's event log and read model, read straight from PostgreSQL as an auditor would. */
final class EventLog {
    private final Supplier<DatabaseHandle> database;

    /** @param database the orchestrators' database, once the stack has started it */
    EventLog(Supplier<DatabaseHandle> database) {
        this.database = database;
    }

    /** One row of migration_events. */
    /** @param host the host an event of one host's outcome names (AbortConfirmed, ...), else null */
    record Event(long position, int version, String type, String action, String targetHost, String commandId,
            Integer round, String actor, String host) {
        @Override
        public String toString() {
            return "v" + version + " " + type + (host == null ? "" : " " + host) + (action == null ? "" : " " + action + "@" + targetHost + " (" + commandId
                    + ")") + (round == null ? "" : " round " + round) + " by " + actor;
        }
    }

    /** The migration's events in version order. */
    List<Event> events(String migrationId) {
        return query("""
                select position, version, type, payload_json->>'action', payload_json->>'targetHost',
                       payload_json->>'commandId', (payload_json->'progress'->>'round')::int, actor, payload_json->>'host'
                from migration_events where migration_id = ? order by version""", migrationId, rs -> new Event(
                rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                (Integer) rs.getObject(7), rs.getString(8), rs.getString(9)));
    }

    /** A StorageReleased or StorageAcquired event: which host gave up or took the disk, with which epoch. */
    record StorageEvent(int version, String type, String host, long epoch) {}

    /** The migration's storage hand-off events in version order. */
    List<StorageEvent> storageEvents(String migrationId) {
        return query("""
                select version, type, payload_json->>'host', (payload_json->>'epoch')::bigint
                from migration_events where migration_id = ? and type in ('StorageReleased', 'StorageAcquired')
                order by version""", migrationId, rs -> new StorageEvent(rs.getInt(1), rs.getString(2), rs.getString(3),
                rs.getLong(4)));
    }

    /** The migrations a drain made, as "VM STATE" in the order they were requested. */
    List<String> drainMigrations(String drainId) {
        return query("select vm_id || ' ' || state from migrations where drain_id = ? order by created_at", drainId,
                rs -> rs.getString(1));
    }

    /** The drain's event versions in order (contiguous from 1 when nothing was recorded twice or lost). */
    List<Integer> drainVersions(String drainId) {
        return query("select version from drain_events where drain_id = ? order by version", drainId, rs -> rs.getInt(1));
    }

    /** The read model's version of the migration (0 when the row is missing). */
    int projectedVersion(String migrationId) {
        List<Integer> versions = query("select version from migrations where migration_id = ?", migrationId,
                rs -> rs.getInt(1));
        return versions.isEmpty() ? 0 : versions.getFirst();
    }

    /** Outbox rows the relay has not published yet. */
    long unpublishedOutbox() {
        return query("select count(*) from outbox where published_at is null", null, rs -> rs.getLong(1)).getFirst();
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, String migrationId, Row<T> row) {
        DatabaseHandle db = database.get();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (migrationId != null) {
                statement.setObject(1, UUID.fromString(migrationId));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event log at " + db.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }
}
