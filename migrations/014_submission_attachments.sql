-- The attachments frozen into a submission at hand-in (docs/rules.md §15.9): the receipt lists them and the signed
-- PDF embeds them. Name, size and SHA-256 are copied so the receipt never changes; the bytes stay in
-- attachment_chunks, and an attachment that is part of a submission cannot be deleted.
CREATE TABLE submission_attachments (
  submission_id   bigint NOT NULL REFERENCES submissions(id),
  position        integer NOT NULL CHECK (position >= 1),
  upload_id       text NOT NULL REFERENCES attachment_uploads(id) ON DELETE RESTRICT,
  file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  size            bigint NOT NULL CHECK (size > 0),
  kind            text NOT NULL CHECK (kind IN ('image', 'pdf', 'ggb', 'xlsx', 'ods', 'docx')),
  mime_type       text NOT NULL,
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (submission_id, position),
  UNIQUE (submission_id, upload_id)
);
CREATE INDEX submission_attachments_upload_idx ON submission_attachments (upload_id);
