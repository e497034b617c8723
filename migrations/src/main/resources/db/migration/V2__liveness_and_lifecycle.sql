-- When this orchestrator's side last received a heartbeat from each host, by the database's clock, so liveness is
-- judged on one clock whichever orchestrator instance consumed the beat (the agents' sentAt is their own clock).
alter table hosts add column received_at timestamptz not null default now();
