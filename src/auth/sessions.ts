import type { Queryable } from '../db/pool.ts';
import type { Actor } from '../http/context.ts';
import { findSession, insertSession, type SessionLookup } from './queries.ts';
import { newSessionToken, sha256 } from './tokens.ts';

export const SESSION_COOKIE = 'provesal_session';

export type SessionState = { actor: Actor } | { problem: 'expired' | 'revoked' | 'unknown' | 'disabled' };

/** Issues a new session; returns the token for the cookie (only its hash is stored). */
export async function createSession(
  q: Queryable,
  userId: number,
  ttlHours: number,
  now: Date,
  meta: { userAgent: string | null; address: string | null },
): Promise<{ token: string; sessionId: number; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  const sessionId = await insertSession(q, { tokenHash: sha256(token), userId, expiresAt, ...meta });
  return { token, sessionId, expiresAt };
}

/**
 * Resolves a cookie token to the signed-in actor, or says why it is not valid. `find` reads the session by its
 * token's hash: one query here, or one batch for many sockets in the socket hubs (src/sync/admissionReader.ts).
 */
export async function resolveSession(
  q: Queryable,
  token: string,
  now: Date,
  find: (tokenHash: Buffer) => Promise<SessionLookup | null | undefined> = (h) => findSession(q, h),
): Promise<SessionState> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { problem: 'unknown' };
  const s = await find(sha256(token));
  if (!s) return { problem: 'unknown' };
  if (s.revoked_at) return { problem: 'revoked' };
  if (s.expires_at.getTime() <= now.getTime()) return { problem: 'expired' };
  if (s.disabled) return { problem: 'disabled' };
  return {
    actor: {
      userId: s.user_id,
      username: s.username,
      displayName: s.display_name,
      role: s.role,
      schoolId: s.school_id,
      sessionId: s.session_id,
    },
  };
}

/** Reads one cookie from a raw Cookie header (websocket upgrades have no framework around them). */
export function cookieFromHeader(header: string | undefined, name = SESSION_COOKIE): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
