package io.ferry.orchestrator.eventlog;

import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.decision.ConcurrentAppendException;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.decision.EventStream;
import io.ferry.orchestrator.decision.Recorded;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The append-only event log in PostgreSQL. Appends carry the version they expect to follow. */
@Repository
public class EventStore implements EventStream<MigrationEvent> {
    private static final String COLUMNS = "position, event_id, migration_id, version, type, payload, payload_json::text, "
            + "causation_id, correlation_id, actor, recorded_at";
    private final JdbcTemplate jdbc;
    private final EventCodec codec;
    private final Supplier<UUID> ids;

    public EventStore(JdbcTemplate jdbc, EventCodec codec, Supplier<UUID> ids) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.ids = ids;
    }

    @Override
    public List<Recorded<MigrationEvent>> load(UUID id) {
        return jdbc.query("select " + COLUMNS + " from migration_events where migration_id = ? order by version", mapper(),
                id);
    }

    /**
     * Writes the events in one statement (one round trip to PostgreSQL however many events the append has), each with
     * the next version: a writer that raced ahead makes the unique (migration_id, version) refuse them all.
     */
    @Override
    public List<Recorded<MigrationEvent>> append(UUID id, int expectedVersion, List<MigrationEvent> events,
            EventMetadata meta) {
        if (events.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("insert into migration_events (event_id, migration_id, version, type, "
                + "payload, payload_json, causation_id, correlation_id, actor, recorded_at) values ");
        List<Object> args = new ArrayList<>(events.size() * 10);
        List<Recorded<MigrationEvent>> recorded = new ArrayList<>(events.size());
        Timestamp at = Timestamp.from(meta.recordedAt());
        int version = expectedVersion;
        for (MigrationEvent event : events) {
            version++;
            UUID eventId = ids.get();
            String type = codec.type(event);
            String json = codec.json(event);
            sql.append(version == expectedVersion + 1 ? "" : ", ").append("(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)");
            args.addAll(java.util.Arrays.asList(eventId, id, version, type, codec.encode(event), json, meta.causationId(),
                    meta.correlationId(), meta.actor(), at));
            recorded.add(new Recorded<>(0, eventId, id, version, type, event, json, meta.causationId(),
                    meta.correlationId(), meta.actor(), meta.recordedAt()));
        }
        sql.append(" returning version, position");
        java.util.Map<Integer, Long> positions = new java.util.HashMap<>();
        try {
            jdbc.query(sql.toString(), rs -> {
                positions.put(rs.getInt(1), rs.getLong(2));
            }, args.toArray());
        } catch (DuplicateKeyException e) {
            throw new ConcurrentAppendException("migration " + id + " moved past version " + expectedVersion
                    + " while this append was prepared", e);
        }
        return recorded.stream().map(r -> new Recorded<>(positions.get(r.version()), r.eventId(), r.streamId(),
                r.version(), r.type(), r.event(), r.payloadJson(), r.causationId(), r.correlationId(), r.actor(),
                r.recordedAt())).toList();
    }

    private RowMapper<Recorded<MigrationEvent>> mapper() {
        return (rs, row) -> new Recorded<>(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getInt(4), rs.getString(5), codec.decode(rs.getString(5), rs.getBytes(6)), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getString(10), rs.getTimestamp(11).toInstant());
    }
}
