-- A row the broker can never accept (too large, an invalid topic name, ...) is set aside rather than retried for
-- ever ahead of every row behind it: failed_at and failure say when and why. The relay skips such rows.
alter table outbox add column failed_at timestamptz;
alter table outbox add column failure text;
-- How large the payload was: the relay clears a row's payload once it is published or set aside (commands carry
-- data-channel tokens, which must not stay in the table), and this keeps the size for people investigating.
alter table outbox add column payload_size integer;

drop index outbox_pending;
create index outbox_pending on outbox (id) where published_at is null and failed_at is null;
create index outbox_failed on outbox (id) where failed_at is not null;

-- Rows published before this version still hold their payloads, tokens included: clear them.
update outbox set payload_size = length(payload), payload = '\x'::bytea where published_at is not null;
