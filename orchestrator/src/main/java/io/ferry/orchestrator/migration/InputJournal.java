package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.eventlog.InputCodec;
import java.sql.Timestamp;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Records the input that caused each append, so the replay debugger can decide it again and compare. */
@Component
@Order(20)
class InputJournal implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();
    private final InputCodec inputs = new InputCodec();

    InputJournal(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void inTransaction(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        jdbc.update("insert into migration_inputs (migration_id, after_version, type, input, actor, recorded_at) "
                + "values (?, ?, ?, ?::jsonb, ?, ?)", a.stream(), a.versionBefore(), InputCodec.type(a.input()),
                json.writeValueAsString(inputs.toJson(a.input())), a.meta().actor(), Timestamp.from(a.meta().recordedAt()));
    }
}
