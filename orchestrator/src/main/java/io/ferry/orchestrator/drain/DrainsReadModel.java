package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drains table and the host modes, kept in step with the drains' log in the append's transaction: its unique
 * index (one DRAINING drain per host) is what refuses a second drain, so it must fail the append, not follow it.
 */
@Repository
@org.springframework.core.annotation.Order(10)
class DrainsReadModel implements Reactor<DrainCommand, DrainEvent, DrainState> {
    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    DrainsReadModel(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void inTransaction(Appended<DrainCommand, DrainEvent, DrainState> a) {
        DrainState state = a.after();
        Timestamp now = Timestamp.from(a.meta().recordedAt());
        jdbc.update("""
                insert into drains (drain_id, host, status, requested_by, version, created_at, updated_at, view)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                on conflict (drain_id) do update set status = excluded.status, version = excluded.version,
                    updated_at = excluded.updated_at, view = excluded.view""",
                a.stream(), state.host(), state.status().name(), state.requestedBy(), a.versionAfter(),
                Timestamp.from(state.startedAt()), now, json.writeValueAsString(state));
        jdbc.update("""
                insert into host_modes (host, mode, drain_id, changed_at, changed_by) values (?, ?, ?, ?, ?)
                on conflict (host) do update set mode = excluded.mode, drain_id = excluded.drain_id,
                    changed_at = excluded.changed_at, changed_by = excluded.changed_by""",
                state.host(), state.hostMode().name(), a.stream(), now, a.meta().actor());
    }

    /** Drains still moving VMs, oldest first. */
    List<UUID> draining() {
        return jdbc.queryForList("select drain_id from drains where status = 'DRAINING' order by created_at", UUID.class);
    }

    /** The host's newest drain. */
    Optional<UUID> latestOf(String host) {
        return jdbc.queryForList("select drain_id from drains where host = ? order by created_at desc limit 1", UUID.class,
                host).stream().findFirst();
    }

    Optional<UUID> activeOf(String host) {
        return jdbc.queryForList("select drain_id from drains where host = ? and status = 'DRAINING'", UUID.class, host)
                .stream().findFirst();
    }
}
