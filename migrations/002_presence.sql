-- Who is connected right now, across all app nodes (SPEC §5: a disconnect shows within 5 s).
-- Written by the node holding a candidate's answer socket; a node that dies stops heartbeating, and readers
-- treat a "connected" row whose heartbeat is older than 15 s as disconnected since that heartbeat.
CREATE TABLE presence (
  registration_id bigint PRIMARY KEY REFERENCES registrations(id),
  connected       boolean NOT NULL,
  node_id         text NOT NULL,
  changed_at      timestamptz NOT NULL,
  heartbeat_at    timestamptz NOT NULL,
  last_saved_at   timestamptz,
  words           integer NOT NULL DEFAULT 0 CHECK (words >= 0)
);
