-- Pupils' attachments (docs/rules.md "Attachments"): tus uploads stored in PostgreSQL, so any node can resume
-- an upload another node began. An upload is listed only once completed_at is set, which happens after its
-- SHA-256 and its sniffed type are recorded; anything unfinished is invisible and is deleted by the sweeper.
CREATE TABLE attachment_uploads (
  -- The tus upload id (random, 32 hex characters): also the attachment's id.
  id              text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  registration_id bigint NOT NULL REFERENCES registrations(id),
  -- The name as listed: the path stripped, at most 200 characters (src/attachments/kinds.ts).
  file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  claimed_kind    text NOT NULL CHECK (claimed_kind IN ('image', 'pdf', 'ggb', 'xlsx', 'ods', 'docx')),
  size            bigint NOT NULL CHECK (size > 0),
  -- Bytes durably stored so far: what HEAD answers as Upload-Offset.
  upload_offset   bigint NOT NULL DEFAULT 0 CHECK (upload_offset BETWEEN 0 AND size),
  -- The tus Upload-Metadata as the server kept it.
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz,
  kind            text CHECK (kind IN ('image', 'pdf', 'ggb', 'xlsx', 'ods', 'docx')),
  mime_type       text,
  sha256          text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  CHECK ((completed_at IS NULL) = (sha256 IS NULL) AND (completed_at IS NULL) = (kind IS NULL)),
  CHECK (completed_at IS NULL OR upload_offset = size)
);
CREATE INDEX attachment_uploads_registration_idx ON attachment_uploads (registration_id, created_at);
CREATE INDEX attachment_uploads_unfinished_idx ON attachment_uploads (created_at) WHERE completed_at IS NULL;

-- The bytes, in the order they arrived: one row per flushed piece of a PATCH body.
CREATE TABLE attachment_chunks (
  upload_id       text NOT NULL REFERENCES attachment_uploads(id) ON DELETE CASCADE,
  start_offset    bigint NOT NULL CHECK (start_offset >= 0),
  data            bytea NOT NULL CHECK (length(data) > 0),
  PRIMARY KEY (upload_id, start_offset)
);
