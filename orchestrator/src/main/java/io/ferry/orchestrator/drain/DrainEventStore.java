package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.decision.ConcurrentAppendException;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.decision.EventStream;
import io.ferry.orchestrator.decision.Recorded;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * A drain's events in drain_events, appended with the version they expect to follow. The payload is the event record
 * as JSON under its type's simple name: drains are orchestrator-internal, no other process reads their events.
 */
@Repository
class DrainEventStore implements EventStream<DrainEvent> {
    private static final Map<String, Class<?>> TYPES = Arrays.stream(DrainEvent.class.getPermittedSubclasses())
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
    private final JdbcTemplate jdbc;
    private final Supplier<UUID> ids;
    private final JsonMapper json = JsonMapper.builder().build();

    DrainEventStore(JdbcTemplate jdbc, Supplier<UUID> ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    @Override
    public List<Recorded<DrainEvent>> load(UUID drain) {
        return jdbc.query("""
                select position, event_id, drain_id, version, type, payload_json::text, causation_id, correlation_id, actor,
                    recorded_at from drain_events where drain_id = ? order by version""",
                (rs, i) -> new Recorded<>(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getInt(4), rs.getString(5), decode(rs.getString(5), rs.getString(6)), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant()), drain);
    }

    @Override
    public List<Recorded<DrainEvent>> append(UUID drain, int expectedVersion, List<DrainEvent> events,
            EventMetadata meta) {
        List<Recorded<DrainEvent>> recorded = new ArrayList<>(events.size());
        int version = expectedVersion;
        try {
            for (DrainEvent event : events) {
                version++;
                UUID eventId = ids.get();
                String type = event.getClass().getSimpleName();
                String payload = json.writeValueAsString(event);
                Long position = jdbc.queryForObject("""
                        insert into drain_events (event_id, drain_id, version, type, payload_json, causation_id,
                            correlation_id, actor, recorded_at)
                        values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) returning position""", Long.class, eventId, drain, version,
                        type, payload, meta.causationId(), meta.correlationId(), meta.actor(),
                        Timestamp.from(meta.recordedAt()));
                recorded.add(new Recorded<>(position, eventId, drain, version, type, event, payload, meta.causationId(),
                        meta.correlationId(), meta.actor(), meta.recordedAt()));
            }
        } catch (DuplicateKeyException e) {
            throw new ConcurrentAppendException("drain " + drain + " moved past version " + expectedVersion
                    + " while this append was prepared", e);
        }
        return recorded;
    }

    DrainEvent decode(String type, String payload) {
        Class<?> cls = TYPES.get(type);
        if (cls == null) {
            throw new IllegalStateException("drain event type " + type + " is unknown to this orchestrator");
        }
        return (DrainEvent) json.readValue(payload, cls);
    }
}
