-- Prøvesal schema: the whole SPEC domain. Constraints live here, not only in code.
-- Times are timestamptz (UTC on the wire); the UI renders them in Europe/Copenhagen.

CREATE TABLE schools (
  id              bigserial PRIMARY KEY,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  institution_no  text NOT NULL UNIQUE CHECK (institution_no ~ '^[0-9A-Za-z]{3,12}$'),
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id              bigserial PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,99}$'),
  display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role            text NOT NULL CHECK (role IN ('ministry', 'school_admin', 'invigilator', 'grader', 'candidate')),
  -- NULL for candidates who only ever enter with one-time codes.
  password_hash   text,
  -- The school an admin, invigilator or candidate belongs to; ministry and graders belong to none.
  school_id       bigint REFERENCES schools(id),
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (role NOT IN ('school_admin', 'candidate') OR school_id IS NOT NULL)
);
CREATE INDEX users_school_idx ON users (school_id);

CREATE TABLE sessions (
  id              bigserial PRIMARY KEY,
  -- SHA-256 of the cookie token: a database leak does not leak live sessions.
  token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  user_id         bigint NOT NULL REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  user_agent      text,
  address         text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE rooms (
  id              bigserial PRIMARY KEY,
  school_id       bigint NOT NULL REFERENCES schools(id),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  UNIQUE (school_id, name)
);

-- A pupil's standing data at their school; accommodations here are the defaults copied
-- onto each registration, where an invigilator may change them for one sitting.
CREATE TABLE candidates (
  id              bigserial PRIMARY KEY,
  user_id         bigint NOT NULL UNIQUE REFERENCES users(id),
  school_id       bigint NOT NULL REFERENCES schools(id),
  -- UNI-login id or the school's own username; unique within the school.
  uni_id          text NOT NULL CHECK (length(uni_id) BETWEEN 2 AND 100),
  full_name       text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  class_name      text NOT NULL DEFAULT '' CHECK (length(class_name) <= 50),
  extra_minutes   integer NOT NULL DEFAULT 0 CHECK (extra_minutes BETWEEN 0 AND 600),
  text_to_speech  boolean NOT NULL DEFAULT false,
  large_text      boolean NOT NULL DEFAULT false,
  high_contrast   boolean NOT NULL DEFAULT false,
  UNIQUE (school_id, uni_id)
);

CREATE TABLE sittings (
  id                  bigserial PRIMARY KEY,
  subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  level               smallint NOT NULL CHECK (level IN (9, 10)),
  starts_at           timestamptz NOT NULL,
  duration_minutes    integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
  lobby_opens_minutes integer NOT NULL DEFAULT 30 CHECK (lobby_opens_minutes BETWEEN 0 AND 240),
  -- {"spellCheck":bool,"textToSpeech":bool,"internet":bool,"calculator":bool}
  aids                jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- 'seb_required' | 'browser_fullscreen' | 'browser_monitored'
  lockdown_profile    text NOT NULL DEFAULT 'browser_fullscreen'
                      CHECK (lockdown_profile IN ('seb_required', 'browser_fullscreen', 'browser_monitored')),
  status              text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  created_by          bigint REFERENCES users(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sittings_starts_idx ON sittings (starts_at);

CREATE TABLE sitting_schools (
  sitting_id      bigint NOT NULL REFERENCES sittings(id),
  school_id       bigint NOT NULL REFERENCES schools(id),
  PRIMARY KEY (sitting_id, school_id)
);

-- The question paper, sealed: AES-256-GCM with a per-sitting data key, itself wrapped by the
-- service's master key. Nothing here is readable without the master key.
CREATE TABLE question_papers (
  sitting_id      bigint NOT NULL REFERENCES sittings(id),
  kind            text NOT NULL CHECK (kind IN ('pdf', 'richtext')),
  wrapped_key     bytea NOT NULL,
  iv              bytea NOT NULL,
  auth_tag        bytea NOT NULL,
  ciphertext      bytea NOT NULL,
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  byte_size       integer NOT NULL CHECK (byte_size > 0),
  uploaded_by     bigint REFERENCES users(id),
  uploaded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sitting_id, kind)
);

CREATE TABLE registrations (
  id                  bigserial PRIMARY KEY,
  sitting_id          bigint NOT NULL REFERENCES sittings(id),
  candidate_id        bigint NOT NULL REFERENCES candidates(id),
  room_id             bigint NOT NULL REFERENCES rooms(id),
  -- Graders know a candidate only by this number.
  exam_number         text NOT NULL CHECK (exam_number ~ '^[0-9A-Z-]{4,20}$'),
  extra_minutes       integer NOT NULL DEFAULT 0 CHECK (extra_minutes BETWEEN 0 AND 600),
  text_to_speech      boolean NOT NULL DEFAULT false,
  large_text          boolean NOT NULL DEFAULT false,
  high_contrast       boolean NOT NULL DEFAULT false,
  state               text NOT NULL DEFAULT 'registered'
                      CHECK (state IN ('registered', 'lobby', 'writing', 'handed_in', 'absent', 'ill')),
  -- Pause: while paused_at is set the clock stands still for this candidate; paused_seconds is
  -- added to the end time once resumed.
  paused_at           timestamptz,
  paused_seconds      integer NOT NULL DEFAULT 0 CHECK (paused_seconds >= 0),
  -- The invigilator ended the sitting for this room/candidate before the regular end.
  ended_at            timestamptz,
  -- An invigilator's permission for one device switch (cleared when used).
  device_switch_allowed boolean NOT NULL DEFAULT false,
  -- Lockdown: editing is stopped until an invigilator unlocks (SEB mismatch during the exam).
  locked_reason       text,
  first_seen_at       timestamptz,
  started_writing_at  timestamptz,
  handed_in_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sitting_id, candidate_id),
  UNIQUE (sitting_id, exam_number)
);
CREATE INDEX registrations_room_idx ON registrations (sitting_id, room_id);
CREATE INDEX registrations_candidate_idx ON registrations (candidate_id);

CREATE TABLE invigilator_assignments (
  sitting_id      bigint NOT NULL REFERENCES sittings(id),
  room_id         bigint NOT NULL REFERENCES rooms(id),
  user_id         bigint NOT NULL REFERENCES users(id),
  PRIMARY KEY (sitting_id, room_id, user_id)
);
CREATE INDEX invigilator_assignments_user_idx ON invigilator_assignments (user_id);

CREATE TABLE grader_assignments (
  sitting_id      bigint NOT NULL REFERENCES sittings(id),
  user_id         bigint NOT NULL REFERENCES users(id),
  PRIMARY KEY (sitting_id, user_id)
);
CREATE INDEX grader_assignments_user_idx ON grader_assignments (user_id);

-- One-time access codes handed out by invigilators; only the SHA-256 of the code is kept.
-- Codes are long random strings, so a fast hash is safe (no dictionary to attack).
CREATE TABLE access_codes (
  id              bigserial PRIMARY KEY,
  registration_id bigint NOT NULL REFERENCES registrations(id),
  code_hash       bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  issued_by       bigint REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz
);
CREATE INDEX access_codes_registration_idx ON access_codes (registration_id);

-- The answer document: an append-only log of Yjs updates plus periodic snapshots.
-- A document = latest snapshot + every update with id > snapshot.last_update_id.
CREATE TABLE doc_updates (
  id              bigserial PRIMARY KEY,
  registration_id bigint NOT NULL REFERENCES registrations(id),
  update          bytea NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX doc_updates_registration_idx ON doc_updates (registration_id, id);

CREATE TABLE doc_snapshots (
  registration_id bigint PRIMARY KEY REFERENCES registrations(id),
  state           bytea NOT NULL,
  last_update_id  bigint NOT NULL,
  text_length     integer NOT NULL DEFAULT 0,
  word_count      integer NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A hand-in. A reopened and handed-in-again answer gets a new version; earlier ones stay.
CREATE TABLE submissions (
  id              bigserial PRIMARY KEY,
  registration_id bigint NOT NULL REFERENCES registrations(id),
  version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  final_state     bytea NOT NULL,
  plain_text      text NOT NULL,
  text_sha256     text NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
  word_count      integer NOT NULL DEFAULT 0,
  handed_in_at    timestamptz NOT NULL DEFAULT now(),
  handed_in_by    text NOT NULL CHECK (handed_in_by IN ('candidate', 'auto', 'invigilator')),
  receipt_code    text NOT NULL UNIQUE,
  superseded_at   timestamptz,
  pdf             bytea,
  pdf_sha256      text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  pdf_signed_at   timestamptz,
  UNIQUE (registration_id, version)
);
-- At most one current (not superseded) submission per registration.
CREATE UNIQUE INDEX submissions_current_idx ON submissions (registration_id) WHERE superseded_at IS NULL;

-- Durable queue for PDF rendering + signing; a job survives restarts and is never silently dropped.
CREATE TABLE pdf_jobs (
  id              bigserial PRIMARY KEY,
  submission_id   bigint NOT NULL UNIQUE REFERENCES submissions(id),
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  run_after       timestamptz NOT NULL DEFAULT now(),
  locked_at       timestamptz,
  locked_by       text,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX pdf_jobs_ready_idx ON pdf_jobs (run_after, id) WHERE state IN ('pending', 'running');

CREATE TABLE grades (
  registration_id bigint PRIMARY KEY REFERENCES registrations(id),
  grade           text NOT NULL CHECK (grade IN ('-3', '00', '02', '4', '7', '10', '12')),
  note            text CHECK (length(note) <= 2000),
  graded_by       bigint NOT NULL REFERENCES users(id),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lockdown_events (
  id              bigserial PRIMARY KEY,
  registration_id bigint NOT NULL REFERENCES registrations(id),
  type            text NOT NULL CHECK (type ~ '^[a-z_]{2,40}$'),
  occurred_at     timestamptz NOT NULL,
  duration_ms     integer CHECK (duration_ms >= 0),
  details         jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lockdown_events_registration_idx ON lockdown_events (registration_id, id);

CREATE TABLE incidents (
  id              bigserial PRIMARY KEY,
  sitting_id      bigint NOT NULL REFERENCES sittings(id),
  room_id         bigint NOT NULL REFERENCES rooms(id),
  registration_id bigint REFERENCES registrations(id),
  author_id       bigint NOT NULL REFERENCES users(id),
  note            text NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Append-only, hash-chained audit log (SPEC §8). hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE audit_events (
  id              bigint PRIMARY KEY,
  at              timestamptz NOT NULL,
  actor_id        bigint,
  actor_role      text,
  action          text NOT NULL CHECK (action ~ '^[a-z_.]{2,60}$'),
  subject_type    text,
  subject_id      text,
  details         jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash       bytea NOT NULL CHECK (length(prev_hash) = 32),
  hash            bytea NOT NULL UNIQUE CHECK (length(hash) = 32)
);
CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;

-- The application never updates or deletes audit entries; the database enforces it.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
