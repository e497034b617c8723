-- Where each host's data channel connects from (its heartbeat's dataHost): a destination admits the source's data
-- channel only from there. Null until the host's first heartbeat that carries it.
alter table hosts add column data_host text;
