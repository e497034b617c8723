package io.ferry.orchestrator.replay;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.decision.Recorded;
import io.ferry.orchestrator.eventlog.EventCodec;
import io.ferry.orchestrator.eventlog.EventStore;
import io.ferry.orchestrator.eventlog.InputCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Feeds the replay debugger from this orchestrator's log, or from an export file made on another machine. The
 * export holds each event's JSON payload and each recorded input, which is all a replay needs.
 */
@Service
class ReplayService {
    static final String FORMAT = "ferry-migration-export/1";
    private final EventStore store;
    private final EventCodec codec;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final InputCodec inputs = new InputCodec();
    private final JsonMapper json = JsonMapper.builder().build();

    ReplayService(EventStore store, EventCodec codec, JdbcTemplate jdbc, Clock clock) {
        this.store = store;
        this.codec = codec;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record ReplayView(String migrationId, boolean inputsRecorded, boolean consistent, String finalState,
            List<Replayer.Step> steps, List<Replayer.Divergence> divergences) {}

    /** @return null when there is no such migration */
    ReplayView replay(MigrationId id, Integer until) {
        return fromExport(export(id), until);
    }

    /** @return null when there is no such migration */
    ObjectNode export(MigrationId id) {
        List<Recorded<MigrationEvent>> events = store.load(id.value());
        if (events.isEmpty()) {
            return null;
        }
        ObjectNode doc = json.createObjectNode();
        doc.put("format", FORMAT);
        doc.put("migrationId", id.toString());
        doc.put("exportedAt", clock.instant().toString());
        ArrayNode list = doc.putArray("events");
        for (Recorded<MigrationEvent> e : events) {
            ObjectNode node = list.addObject();
            node.put("version", e.version());
            node.put("type", e.type());
            node.put("recordedAt", e.recordedAt().toString());
            node.put("actor", e.actor());
            node.put("causationId", e.causationId());
            node.set("payload", json.readTree(e.payloadJson()));
        }
        ArrayNode recorded = doc.putArray("inputs");
        jdbc.query("select after_version, type, input::text, actor, recorded_at from migration_inputs "
                + "where migration_id = ? order by after_version", rs -> {
                    ObjectNode node = recorded.addObject();
                    node.put("afterVersion", rs.getInt(1));
                    node.put("type", rs.getString(2));
                    node.put("actor", rs.getString(4));
                    node.put("recordedAt", rs.getTimestamp(5).toInstant().toString());
                    node.set("input", json.readTree(rs.getString(3)));
                }, id.value());
        return doc;
    }

    ReplayView fromExport(JsonNode doc, Integer until) {
        if (doc == null) {
            return null;
        }
        if (!FORMAT.equals(doc.path("format").asString(""))) {
            throw new IllegalArgumentException("not a ferry export: 'format' must be " + FORMAT + ", got "
                    + doc.path("format"));
        }
        List<Replayer.Recorded> events = new ArrayList<>();
        for (JsonNode e : doc.path("events")) {
            String type = e.path("type").asString();
            events.add(new Replayer.Recorded(e.path("version").asInt(), type,
                    codec.fromJson(type, json.writeValueAsString(e.get("payload"))),
                    Instant.parse(e.path("recordedAt").asString()), e.path("actor").asString()));
        }
        List<Replayer.Input> recorded = new ArrayList<>();
        for (JsonNode i : doc.path("inputs")) {
            recorded.add(new Replayer.Input(i.path("afterVersion").asInt(), inputs.fromJson(i.get("input")),
                    i.path("actor").asString(), Instant.parse(i.path("recordedAt").asString())));
        }
        Replayer.Report report = Replayer.replay(events, recorded, until, Replayer.TODAY);
        return new ReplayView(doc.path("migrationId").asString(), report.inputsRecorded(), report.consistent(),
                report.finalState(), report.steps(), report.divergences());
    }
}
