-- What each append was decided from: the input to decide (an agent's outcome, a request, a cancel, a watchdog tick)
-- as JSON, written in the append's transaction. The replay debugger re-runs today's decide on these and compares
-- with the events that were recorded. after_version is the log's version the input was decided on.
create table migration_inputs (
    migration_id  uuid        not null,
    after_version integer     not null check (after_version >= 0),
    type          text        not null,
    input         jsonb       not null,
    actor         text        not null,
    recorded_at   timestamptz not null,
    primary key (migration_id, after_version)
);

-- Audit queries across migrations: by actor over time (by VM, host and outcome go through the migrations table).
create index migration_events_actor on migration_events (actor, recorded_at);
