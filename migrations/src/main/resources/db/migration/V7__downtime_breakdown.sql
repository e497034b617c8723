-- Where a completed migration's blackout went, as the agents measured it (microseconds per phase: the VmResumed
-- event's breakdown as JSON). Null for migrations that have not resumed, or whose agents did not measure it.
alter table migrations add column downtime_breakdown jsonb;
