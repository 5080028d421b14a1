-- Lockdown events are timed by the server (occurred_at = when the server received them): a pupil's clock is theirs
-- to set, and a report "left fullscreen in 1970" must not stand in the record. The browser's own claim is kept
-- beside it for the invigilator who wants to compare. (004 is taken by the UNI-login work in progress.)
ALTER TABLE lockdown_events ADD COLUMN client_at timestamptz NULL;
COMMENT ON COLUMN lockdown_events.occurred_at IS 'Server time the event was received (never the client''s clock).';
COMMENT ON COLUMN lockdown_events.client_at IS 'The time the browser reported, as sent; for comparison only.';
