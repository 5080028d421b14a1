-- Sign-in with UNI-Login (docs/rules.md §12).

-- Staff are found by their UNI-Login id (candidates already carry one in candidates.uni_id). UNI-Login ids
-- are national, so one staff account per id.
ALTER TABLE users ADD COLUMN uni_id text UNIQUE CHECK (uni_id IS NULL OR length(uni_id) BETWEEN 2 AND 100);

-- The id_token a UNI-Login session began with: RP-initiated logout sends it back as id_token_hint.
ALTER TABLE sessions ADD COLUMN id_token text;

-- A sign-in begun at /api/auth/oidc/start and not yet finished: the PKCE verifier and the nonce, found by the
-- hash of `state` and bound to the browser by the hash of an HttpOnly cookie. Deleted when used (single use);
-- rows past expires_at are refused and swept. In PostgreSQL, not in memory, so any node can finish the sign-in.
CREATE TABLE oidc_logins (
  state_hash      bytea PRIMARY KEY CHECK (length(state_hash) = 32),
  browser_hash    bytea NOT NULL CHECK (length(browser_hash) = 32),
  nonce           text NOT NULL CHECK (length(nonce) BETWEEN 16 AND 200),
  code_verifier   text NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
  return_to       text NOT NULL CHECK (length(return_to) BETWEEN 1 AND 2000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE INDEX oidc_logins_expires_idx ON oidc_logins (expires_at);
