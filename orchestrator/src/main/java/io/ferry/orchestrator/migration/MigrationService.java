package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.eventlog.ConcurrentAppendException;
import io.ferry.orchestrator.eventlog.EventMetadata;
import io.ferry.orchestrator.eventlog.EventStore;
import io.ferry.orchestrator.eventlog.InputCodec;
import io.ferry.orchestrator.metrics.MigrationMetrics;
import io.ferry.orchestrator.eventlog.RecordedEvent;
import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.orchestrator.outbox.OutboxRelay;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.Topics;
import io.ferry.schema.agent.StageCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place that changes a migration: load its events, fold, decide, then append the new events together with
 * the commands and notifications they cause (outbox), the read model and the consumer's dedup mark, in one
 * transaction. A racing writer makes the append fail on the version check; the input is then decided again.
 */
@Service
public class MigrationService {
    private static final int ATTEMPTS = 5;
    private final Migration machine;
    private final EventStore store;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Projection projection;
    private final JdbcTemplate jdbc;
    private final DataTokens tokens;
    private final io.ferry.orchestrator.inventory.Inventory inventory;
    private final AdmissionSignal admissions;
    private final MigrationMetrics metrics;
    private final TransactionTemplate tx;
    private final AvroCodec<StageCommand> commands = AvroCodec.of(StageCommand.class);
    private final JsonMapper json = JsonMapper.builder().build();
    private final InputCodec inputs = new InputCodec();

    public MigrationService(Migration machine, EventStore store, Outbox outbox, OutboxRelay relay, Projection projection,
            JdbcTemplate jdbc, TransactionTemplate tx, DataTokens tokens, io.ferry.orchestrator.inventory.Inventory inventory,
            AdmissionSignal admissions, MigrationMetrics metrics) {
        this.metrics = metrics;
        this.tokens = tokens;
        this.inventory = inventory;
        this.admissions = admissions;
        this.machine = machine;
        this.store = store;
        this.outbox = outbox;
        this.relay = relay;
        this.projection = projection;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * @param dedupKey consumer and message id; when that message was handled before, nothing happens
     * @return the events this input added (empty for a duplicate or an input the state ignores)
     */
    public List<RecordedEvent> handle(MigrationId id, MigrationCommand command, EventMetadata meta, Optional<DedupKey> dedupKey) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<RecordedEvent> added = tx.execute(status -> handleOnce(id, command, meta, dedupKey));
                if (added != null && !added.isEmpty()) {
                    relay.wakeUp();
                    metrics.appended(added);
                }
                admissions.fire();
                return added == null ? List.of() : added;
            } catch (ConcurrentAppendException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public record DedupKey(String consumer, String messageId) {}

    private List<RecordedEvent> handleOnce(MigrationId id, MigrationCommand command, EventMetadata meta,
            Optional<DedupKey> dedupKey) {
        if (dedupKey.isPresent() && jdbc.update("insert into processed_messages (consumer, message_id) values (?, ?) "
                + "on conflict do nothing", dedupKey.get().consumer(), dedupKey.get().messageId()) == 0) {
            return List.of();
        }
        List<RecordedEvent> history = store.load(id);
        MigrationState state = fold(history);
        List<MigrationEvent> decided = machine.decide(command, state);
        if (decided.isEmpty()) {
            return List.of();
        }
        // Every event of a migration correlates to the request that started it, whoever caused this append.
        MigrationState after = state;
        for (MigrationEvent event : decided) {
            after = Migration.evolve(after, event, meta.recordedAt());
        }
        String requestId = after.requested().orElseThrow().requestId().value();
        List<RecordedEvent> added = store.append(id, history.size(), decided, meta.withCorrelationId(requestId));
        jdbc.update("insert into migration_inputs (migration_id, after_version, type, input, actor, recorded_at) "
                + "values (?, ?, ?, ?::jsonb, ?, ?)", id.value(), history.size(), InputCodec.type(command),
                json.writeValueAsString(inputs.toJson(command)), meta.actor(), java.sql.Timestamp.from(meta.recordedAt()));
        for (RecordedEvent recorded : added) {
            state = Migration.evolve(state, recorded.event(), recorded.recordedAt());
            if (recorded.event() instanceof StageCommandIssued issued) {
                String sourceDataHost = issued.action() == io.ferry.orchestrator.core.StageAction.PREPARE_DESTINATION
                        ? inventory.dataHost(state.requested().orElseThrow().source().value()).orElse(null) : null;
                StageCommand wire = CommandFactory.build(id, recorded, issued, state, meta.recordedAt(), tokens,
                        sourceDataHost);
                outbox.add(Topics.commandsFor(issued.target().value()), id.toString(), commands.encode(wire), Outbox.AVRO);
            }
            outbox.add(Topics.EVENTS, id.toString(), envelope(recorded), Outbox.JSON);
        }
        projection.save(id, state, history.size() + added.size(), meta.recordedAt());
        if (state.terminal() || state instanceof MigrationState.Queued) {
            admissions.signal(); // a slot may have freed, or a request may be waiting for one
        }
        return added;
    }

    /** The migration as its log says now (Absent when there is no such migration). */
    public MigrationState state(MigrationId id) {
        return fold(store.load(id));
    }

    public static MigrationState fold(List<RecordedEvent> history) {
        return Migration.fold(history.stream().map(e -> new Migration.Stamped(e.event(), e.recordedAt())).toList());
    }

    private byte[] envelope(RecordedEvent e) {
        ObjectNode node = json.createObjectNode();
        node.put("eventId", e.eventId().toString());
        node.put("migrationId", e.migrationId().toString());
        node.put("version", e.version());
        node.put("type", e.type());
        node.put("recordedAt", e.recordedAt().toString());
        node.put("actor", e.actor());
        node.put("causationId", e.causationId());
        node.put("correlationId", e.correlationId());
        node.set("payload", json.readTree(e.payloadJson()));
        return json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }
}
