-- Placement needs a queued migration's memory (what it will take on its destination) and whether it is a drain's
-- move (admitted first), and placement says how ferry chose the destination when the request left it out. Both are in the migration's first event; kept here so admission and placement read one row.
alter table migrations add column memory_mb integer, add column drain_id uuid, add column placement jsonb;
update migrations m set memory_mb = (select (e.payload_json->'vm'->>'memoryMb')::int from migration_events e
                                     where e.migration_id = m.migration_id and e.version = 1);
create index migrations_queue on migrations ((drain_id is null), created_at) where state = 'QUEUED';
create index migrations_drain on migrations (drain_id) where drain_id is not null;

-- A host drain's own event log: the same shape and rules as migration_events (append-only, one version per append).
create table drain_events (
    position       bigint generated always as identity primary key,
    event_id       uuid        not null unique,
    drain_id       uuid        not null,
    version        integer     not null check (version > 0),
    type           text        not null,
    payload_json   jsonb       not null,
    causation_id   text,
    correlation_id text        not null,                -- the drained host
    actor          text        not null,
    recorded_at    timestamptz not null,
    constraint drain_events_stream_version unique (drain_id, version)
);
create trigger drain_events_append_only before update or delete or truncate on drain_events
    for each statement execute function ferry_forbid_event_mutation();

-- Read model of drains, written in the append's transaction.
create table drains (
    drain_id     uuid primary key,
    host         text        not null,
    status       text        not null,                  -- DRAINING, COMPLETED, INCOMPLETE, CANCELLED
    requested_by text        not null,
    version      integer     not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    view         jsonb       not null                   -- the drain's state: its moves and summary
);
create index drains_host on drains (host, created_at desc);
-- One drain at a time per host: a second one is refused by this index, whoever races.
create unique index drains_one_active_per_host on drains (host) where status = 'DRAINING';

-- Whether a host takes VMs (ACTIVE, DRAINING, MAINTENANCE); a host without a row is ACTIVE.
create table host_modes (
    host       text primary key,
    mode       text        not null,
    drain_id   uuid,
    changed_at timestamptz not null,
    changed_by text        not null
);

-- The input each drain append was decided on, so a replay can re-decide it with today's code (as migration_inputs).
create table drain_inputs (
    drain_id      uuid        not null,
    after_version integer     not null,                 -- the version the input was decided on
    type          text        not null,
    payload_json  jsonb       not null,
    actor         text        not null,
    recorded_at   timestamptz not null,
    primary key (drain_id, after_version)
);
