package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Keeps the input of each drain append, in its transaction, for the replay to decide again. */
@Repository
@Order(20)
class DrainInputJournal implements Reactor<DrainCommand, DrainEvent, DrainState> {
    private static final Map<String, Class<?>> TYPES = Arrays.stream(DrainCommand.class.getPermittedSubclasses())
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    DrainInputJournal(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void inTransaction(Appended<DrainCommand, DrainEvent, DrainState> a) {
        jdbc.update("""
                insert into drain_inputs (drain_id, after_version, type, payload_json, actor, recorded_at)
                values (?, ?, ?, ?::jsonb, ?, ?)""", a.stream(), a.versionBefore(), a.input().getClass().getSimpleName(),
                json.writeValueAsString(a.input()), a.meta().actor(), Timestamp.from(a.meta().recordedAt()));
    }

    List<DrainReplayer.Input> inputs(UUID drain) {
        return jdbc.query("""
                select after_version, type, payload_json::text, actor from drain_inputs where drain_id = ?
                order by after_version""", (rs, i) -> new DrainReplayer.Input(rs.getInt(1),
                (DrainCommand) json.readValue(rs.getString(3), TYPES.get(rs.getString(2))), rs.getString(4)), drain);
    }
}
