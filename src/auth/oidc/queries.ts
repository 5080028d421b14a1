import type { Queryable } from '../../db/pool.ts';
import type { MatchedAccount } from './rules.ts';

export interface PendingLogin {
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: Date;
}

/** Records a sign-in begun at /start; sweeps the ones nobody finished (the index makes it cheap). */
export async function insertPendingLogin(
  q: Queryable,
  p: { stateHash: Buffer; browserHash: Buffer; nonce: string; codeVerifier: string; returnTo: string; expiresAt: Date; now: Date },
): Promise<void> {
  await q.query('DELETE FROM oidc_logins WHERE expires_at < $1', [p.now]);
  await q.query(
    `INSERT INTO oidc_logins (state_hash, browser_hash, nonce, code_verifier, return_to, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
    [p.stateHash, p.browserHash, p.nonce, p.codeVerifier, p.returnTo, p.expiresAt],
  );
}

/**
 * Takes the pending sign-in for this state, from this browser only: deleting it is what makes state and nonce
 * single-use across nodes. A wrong browser deletes nothing, so it cannot spoil the real sign-in.
 */
export async function takePendingLogin(q: Queryable, stateHash: Buffer, browserHash: Buffer): Promise<PendingLogin | null> {
  const { rows } = await q.query<PendingLogin>(
    `DELETE FROM oidc_logins WHERE state_hash = $1 AND browser_hash = $2
     RETURNING nonce, code_verifier, return_to, expires_at`,
    [stateHash, browserHash],
  );
  return rows[0] ?? null;
}

/** Every account a UNI-Login id names: candidate rows (one per school) and a staff user. */
export async function accountsByUniId(q: Queryable, uniId: string): Promise<MatchedAccount[]> {
  const { rows } = await q.query<{ user_id: number; role: MatchedAccount['role']; institution_no: string | null; disabled: boolean }>(
    `SELECT u.id AS user_id, u.role, s.institution_no, u.disabled
       FROM candidates c JOIN users u ON u.id = c.user_id JOIN schools s ON s.id = c.school_id
      WHERE c.uni_id = $1 AND u.role = 'candidate'
     UNION ALL
     SELECT u.id, u.role, s.institution_no, u.disabled
       FROM users u LEFT JOIN schools s ON s.id = u.school_id
      WHERE u.uni_id = $1 AND u.role <> 'candidate'`,
    [uniId],
  );
  return rows.map((r) => ({ userId: Number(r.user_id), role: r.role, institutionNo: r.institution_no, disabled: r.disabled }));
}

/** Keeps the id_token with the session: logout sends it to the provider as id_token_hint. */
export async function storeSessionIdToken(q: Queryable, sessionId: number, idToken: string): Promise<void> {
  await q.query('UPDATE sessions SET id_token = $2 WHERE id = $1', [sessionId, idToken]);
}

export async function sessionIdToken(q: Queryable, sessionId: number): Promise<string | null> {
  const { rows } = await q.query<{ id_token: string | null }>('SELECT id_token FROM sessions WHERE id = $1', [sessionId]);
  return rows[0]?.id_token ?? null;
}
