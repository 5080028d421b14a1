-- Item tests in QTI 3.0 (docs/rules.md §14). The package is sealed like the question paper: the ZIP encrypted with
-- AES-256-GCM under its own data key, wrapped by the service's master key. Only the parts' schedule (order,
-- navigation, time limits) is kept in clear: like the sitting's duration it reveals nothing of the content, and the
-- pupil's lobby and the answer socket need it before anyone opens the package.
CREATE TABLE item_packages (
  sitting_id      bigint PRIMARY KEY REFERENCES sittings(id),
  wrapped_key     bytea NOT NULL,
  iv              bytea NOT NULL,
  auth_tag        bytea NOT NULL,
  ciphertext      bytea NOT NULL,
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  byte_size       integer NOT NULL CHECK (byte_size > 0),
  item_count      integer NOT NULL CHECK (item_count BETWEEN 1 AND 500),
  -- [{identifier, navigationMode, maxTimeSeconds}] in delivery order.
  parts           jsonb NOT NULL CHECK (jsonb_typeof(parts) = 'array' AND jsonb_array_length(parts) >= 1),
  uploaded_by     bigint REFERENCES users(id),
  uploaded_at     timestamptz NOT NULL DEFAULT now()
);
