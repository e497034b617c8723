-- Each agent process says when it started (agent_started_at, its own clock). When that changes the agent restarted:
-- whatever it held only in memory (an in-flight migration's data channel, an incoming skeleton) is gone, though its
-- guests may live on. incarnation_heard_at is when this incarnation was first heard, on the database's clock, so the
-- watchdog can tell a migration admitted before the restart from one admitted after it.
alter table hosts add column agent_started_at timestamptz;
alter table hosts add column incarnation_heard_at timestamptz not null default now();
