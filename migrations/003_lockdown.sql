-- Safe Exam Browser settings per sitting (SPEC §7). Generated once, so the .seb file, and with it the
-- Config Key the server enforces, stays the same for the whole sitting.
CREATE TABLE sitting_seb (
  sitting_id      bigint PRIMARY KEY REFERENCES sittings(id),
  exam_key_salt   bytea NOT NULL CHECK (length(exam_key_salt) = 32),
  -- Invigilators type it to quit SEB; the .seb carries only its SHA-256.
  quit_password   text NOT NULL,
  start_url       text NOT NULL,
  -- Optional allow-list of Browser Exam Keys (hex); empty = Config Key check only.
  browser_exam_keys text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);
