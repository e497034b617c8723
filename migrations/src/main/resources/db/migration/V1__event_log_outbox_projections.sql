-- The event log: every state change of every migration, append-only. The unique (migration_id, version) is the
-- optimistic-concurrency check: an append carries the version it expects to follow, and a racing writer loses.
create table migration_events (
    position       bigint generated always as identity primary key,  -- global order across migrations
    event_id       uuid        not null unique,
    migration_id   uuid        not null,
    version        integer     not null check (version > 0),
    type           text        not null,                -- io.ferry.schema.event.<type>
    payload        bytea       not null,                -- Avro single-object encoding (carries its schema fingerprint)
    payload_json   jsonb       not null,                -- the same payload, for SQL and people
    causation_id   text,                                -- the request, agent outcome or timer that caused it
    correlation_id text        not null,                -- the migration request id
    actor          text        not null,                -- who: a user, an agent (agent:hv-02) or the orchestrator
    recorded_at    timestamptz not null,
    constraint migration_events_stream_version unique (migration_id, version)
);
create index migration_events_recorded_at on migration_events (recorded_at);
create index migration_events_type on migration_events (type, recorded_at);

create function ferry_forbid_event_mutation() returns trigger language plpgsql as $$
begin
    raise exception 'migration_events is append-only: % is not allowed', tg_op;
end $$;
create trigger migration_events_append_only before update or delete or truncate on migration_events
    for each statement execute function ferry_forbid_event_mutation();

-- Messages caused by an append, written in the same transaction and published to Kafka by the relay afterwards.
create table outbox (
    id            bigint generated always as identity primary key,
    topic         text        not null,
    message_key   text        not null,
    payload       bytea       not null,
    content_type  text        not null default 'application/vnd.apache.avro+binary',
    created_at    timestamptz not null default now(),
    published_at  timestamptz
);
create index outbox_pending on outbox (id) where published_at is null;

-- Consumers remember what they handled, in the transaction that handled it, so redelivery changes nothing.
create table processed_messages (
    consumer     text        not null,
    message_id   text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, message_id)
);

-- Read model of migrations, updated in the same transaction as the events it is folded from.
create table migrations (
    migration_id     uuid primary key,
    request_id       text        not null unique,
    vm_id            text        not null,
    source_host      text        not null,
    destination_host text        not null,
    state            text        not null,
    failure_reason   text,
    failure_detail   text,
    requested_by     text        not null,
    channel          text        not null,
    version          integer     not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    total_ms         bigint,
    downtime_ms      bigint,
    rounds           integer,
    pages_sent       bigint,
    bytes_sent       bigint
);
create index migrations_vm on migrations (vm_id, created_at desc);
create index migrations_source on migrations (source_host, created_at desc);
create index migrations_destination on migrations (destination_host, created_at desc);
create index migrations_state on migrations (state, created_at desc);
create index migrations_created on migrations (created_at desc);
-- A VM is never in two migrations at once.
create unique index migrations_one_active_per_vm on migrations (vm_id)
    where state not in ('COMPLETED', 'FAILED', 'CANCELLED', 'ROLLED_BACK', 'REJECTED');

-- Requests that never became a migration (malformed, unknown VM, ...), with why.
create table request_rejections (
    id          bigint generated always as identity primary key,
    request_id  text,
    vm_id       text,
    channel     text        not null,
    reason      text        not null,
    detail      text        not null,
    received_at timestamptz not null,
    source      text                                   -- e.g. topic/partition/offset of the bad record
);
create index request_rejections_received on request_rejections (received_at desc);

-- Inventory as the agents last reported it in their heartbeats.
create table hosts (
    host              text primary key,
    driver            text        not null,
    total_memory_mb   bigint      not null,
    free_memory_mb    bigint      not null,
    cpu_features      text[]      not null,
    last_heartbeat_at timestamptz not null
);
-- A VM can show on two hosts while it migrates (the destination's skeleton), hence the pair as key.
create table host_vms (
    host          text        not null references hosts (host),
    vm_id         text        not null,
    vcpus         integer     not null,
    mac_address   text        not null,
    disk_path     text        not null,
    memory_mb     integer     not null,
    state         text        not null,
    storage_epoch bigint,
    seen_at       timestamptz not null,
    primary key (host, vm_id)
);
create index host_vms_vm on host_vms (vm_id);
