-- The source's latest sample of each guest (dirty curve, used and zero pages), as its heartbeat carries it: what an
-- estimate is computed from, at once, on whichever orchestrator instance is asked.
alter table host_vms add column sample jsonb;
-- What the pre-copy model predicted when the migration was requested (also in its first event), shown beside the actual.
alter table migrations add column estimate jsonb;
