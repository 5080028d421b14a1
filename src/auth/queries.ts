import type { Queryable } from '../db/pool.ts';
import type { Role } from '../http/context.ts';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  school_id: number | null;
  password_hash: string | null;
  disabled: boolean;
}

export async function findUserByUsername(q: Queryable, username: string): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>('SELECT id, username, display_name, role, school_id, password_hash, disabled FROM users WHERE username = $1', [
    username,
  ]);
  return rows[0] ?? null;
}

export async function insertUser(
  q: Queryable,
  u: { username: string; displayName: string; role: Role; schoolId: number | null; passwordHash: string | null },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO users (username, display_name, role, school_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [u.username, u.displayName, u.role, u.schoolId, u.passwordHash],
  );
  return rows[0].id;
}

export async function insertSession(
  q: Queryable,
  s: { tokenHash: Buffer; userId: number; expiresAt: Date; userAgent: string | null; address: string | null },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO sessions (token_hash, user_id, expires_at, user_agent, address)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [s.tokenHash, s.userId, s.expiresAt, s.userAgent?.slice(0, 300) ?? null, s.address],
  );
  return rows[0].id;
}

export interface SessionLookup {
  session_id: number;
  expires_at: Date;
  revoked_at: Date | null;
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  school_id: number | null;
  disabled: boolean;
}

export async function findSession(q: Queryable, tokenHash: Buffer): Promise<SessionLookup | null> {
  const { rows } = await q.query<SessionLookup>(
    `SELECT s.id AS session_id, s.expires_at, s.revoked_at,
            u.id AS user_id, u.username, u.display_name, u.role, u.school_id, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** Several sessions by their tokens' hashes in one statement (a start storm's sockets), keyed by the hash in hex. */
export async function findSessions(q: Queryable, tokenHashes: Buffer[]): Promise<Map<string, SessionLookup>> {
  const { rows } = await q.query<SessionLookup & { token_hash: Buffer }>(
    `SELECT s.token_hash, s.id AS session_id, s.expires_at, s.revoked_at,
            u.id AS user_id, u.username, u.display_name, u.role, u.school_id, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = ANY($1::bytea[])`,
    [tokenHashes],
  );
  return new Map(rows.map(({ token_hash, ...row }) => [token_hash.toString('hex'), row]));
}

export async function revokeSession(q: Queryable, sessionId: number): Promise<void> {
  await q.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
}

export interface AccessCodeLookup {
  code_id: number;
  registration_id: number;
  user_id: number;
  expires_at: Date;
  used_at: Date | null;
}

/** Locks the code row so two devices racing with one code cannot both use it. */
export async function claimAccessCode(q: Queryable, codeHash: Buffer): Promise<AccessCodeLookup | null> {
  const { rows } = await q.query<AccessCodeLookup>(
    `SELECT a.id AS code_id, a.registration_id, c.user_id, a.expires_at, a.used_at
       FROM access_codes a
       JOIN registrations r ON r.id = a.registration_id
       JOIN candidates c ON c.id = r.candidate_id
      WHERE a.code_hash = $1 FOR UPDATE OF a`,
    [codeHash],
  );
  return rows[0] ?? null;
}

export async function markAccessCodeUsed(q: Queryable, codeId: number): Promise<void> {
  await q.query('UPDATE access_codes SET used_at = now() WHERE id = $1', [codeId]);
}

export async function insertAccessCode(
  q: Queryable,
  c: { registrationId: number; codeHash: Buffer; issuedBy: number | null; expiresAt: Date },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO access_codes (registration_id, code_hash, issued_by, expires_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [c.registrationId, c.codeHash, c.issuedBy, c.expiresAt],
  );
  return rows[0].id;
}

export async function findUserById(q: Queryable, id: number): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>('SELECT id, username, display_name, role, school_id, password_hash, disabled FROM users WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Of these sessions, the ones that ended: revoked, expired, or their user disabled. */
export async function endedSessions(q: Queryable, sessionIds: number[], now: Date): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>(
    `SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ANY($1::bigint[]) AND (s.revoked_at IS NOT NULL OR s.expires_at <= $2 OR u.disabled)`,
    [sessionIds, now],
  );
  return rows.map((r) => Number(r.id));
}

/** Ends every session of a user (password reset, disabling): their open sockets close at the next check. */
export async function revokeUserSessions(q: Queryable, userId: number): Promise<number> {
  const { rowCount } = await q.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  return rowCount ?? 0;
}
