-- Which socket holds a pupil's presence (the lobby's presence socket or the answer socket). A socket that
-- closes marks the pupil gone only while it is still the holder, so an older socket closing after a reload or
-- a device switch never clobbers the newer connection's presence.
ALTER TABLE presence ADD COLUMN connection_id text CHECK (connection_id IS NULL OR length(connection_id) <= 64);

-- The live room's event feed (docs/rules.md §5): hand-ins, extra time, pauses, locks, device switches and
-- lockdown events, stored by the node that publishes them and replayed when an invigilator opens the room.
CREATE TABLE room_events (
  id              bigserial PRIMARY KEY,
  sitting_id      bigint NOT NULL REFERENCES sittings(id),
  room_id         bigint NOT NULL REFERENCES rooms(id),
  registration_id bigint REFERENCES registrations(id),
  type            text NOT NULL CHECK (length(type) <= 64),
  occurred_at     timestamptz NOT NULL,
  event           jsonb NOT NULL
);
CREATE INDEX room_events_by_room ON room_events (sitting_id, room_id, id DESC);
