import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import { AppError, tooManyRequests, unauthorized } from '../http/errors.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { claimAccessCode, findUserById, findUserByUsername, markAccessCodeUsed } from './queries.ts';
import { createSession } from './sessions.ts';
import { normaliseAccessCode, sha256 } from './tokens.ts';

export interface SignedIn {
  actor: Actor;
  token: string;
  expiresAt: Date;
}
interface Meta {
  address: string;
  userAgent: string | null;
}

const invalidCredentials = () => unauthorized('invalid-credentials', 'Forkert brugernavn eller adgangskode.', 'Wrong username or password.');

function toActor(u: { id: number; username: string; display_name: string; role: Actor['role']; school_id: number | null }, sessionId: number): Actor {
  return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role, schoolId: u.school_id, sessionId };
}

/**
 * Password sign-in. Unknown users still cost one bcrypt compare (no timing oracle) and the same message
 * (no user enumeration); a short backoff per (account, address) and a failure ceiling per address answer
 * "try again in N s" before any bcrypt work (rateLimit.ts).
 */
export async function signInWithPassword(deps: AppDeps, username: string, password: string, meta: Meta): Promise<SignedIn> {
  const timer = deps.metrics.loginDuration.startTimer();
  deps.metrics.loginQueue.set(deps.passwords.queued);
  try {
    const result = await passwordSignIn(deps, username, password, meta);
    timer({ outcome: 'ok' });
    return result;
  } catch (err) {
    timer({ outcome: err instanceof AppError && err.status === 429 ? 'rate_limited' : 'refused' });
    throw err;
  }
}

async function passwordSignIn(deps: AppDeps, username: string, password: string, meta: Meta): Promise<SignedIn> {
  const account = username.trim().toLowerCase();
  const wait = deps.loginLimiter.passwordWait(account, meta.address);
  if (wait) throw tooManyRequests(wait);
  const user = await findUserByUsername(deps.db, account);
  const ok = await deps.passwords.verify(password, user?.password_hash ?? null);
  if (!user || !ok || user.disabled) {
    deps.loginLimiter.passwordFailed(account, meta.address);
    await withTransaction(deps.db, (tx) =>
      appendAudit(tx, {
        actor: user ? { userId: user.id, role: user.role } : null,
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: account,
        details: { method: 'password', level: null, address: meta.address },
      }),
    );
    throw invalidCredentials();
  }
  deps.loginLimiter.passwordSucceeded(account, meta.address);
  // Checked after the password, so a refusal says nothing about accounts whose password the caller does not know.
  if (!deps.config.PASSWORD_LOGIN_ROLES.includes(user.role)) {
    await withTransaction(deps.db, (tx) =>
      appendAudit(tx, {
        actor: { userId: user.id, role: user.role },
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: user.id,
        details: { method: 'password', level: null, reason: 'password-login-disabled', address: meta.address },
      }),
    );
    throw new AppError(
      403,
      'password-login-disabled',
      'Din rolle logger ind med UNI-Login, ikke med adgangskode her.',
      'Your role signs in with UNI-Login, not with a password here.',
    );
  }
  return withTransaction(deps.db, async (tx) => {
    const s = await createSession(tx, user.id, deps.config.SESSION_TTL_HOURS, deps.now(), meta);
    const actor = toActor(user, s.sessionId);
    await appendAudit(tx, {
      actor,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      details: { method: 'password', level: null, address: meta.address },
    });
    return { actor, token: s.token, expiresAt: s.expiresAt };
  });
}

/**
 * One-time access code sign-in for a candidate (docs/rules.md §1): single use, expires, audited. Wrong passwords
 * never stand in its way, and wrong codes are limited per typed code and per node, never per address (a whole
 * school shares one NAT address).
 */
export async function signInWithAccessCode(deps: AppDeps, typed: string, meta: Meta): Promise<SignedIn> {
  const code = normaliseAccessCode(typed);
  const codeHash = sha256(code);
  const codeKey = codeHash.toString('hex');
  const wait = deps.loginLimiter.codeWait(codeKey);
  if (wait) throw tooManyRequests(wait);
  const refuse = () => {
    deps.loginLimiter.codeFailed(codeKey, meta.address);
    return new AppError(
      401,
      'invalid-access-code',
      'Koden er ugyldig, udløbet eller allerede brugt. Spørg den tilsynsførende om en ny.',
      'The code is invalid, expired or already used. Ask the invigilator for a new one.',
    );
  };
  const result = await withTransaction(deps.db, async (tx) => {
    const found = await claimAccessCode(tx, codeHash);
    if (!found || found.used_at || found.expires_at.getTime() <= deps.now().getTime()) return null;
    const user = await findUserById(tx, found.user_id);
    if (!user || user.disabled) return null;
    await markAccessCodeUsed(tx, found.code_id);
    const s = await createSession(tx, user.id, deps.config.SESSION_TTL_HOURS, deps.now(), meta);
    const actor = toActor(user, s.sessionId);
    await appendAudit(tx, {
      actor,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      details: { method: 'access_code', level: null, registrationId: found.registration_id, address: meta.address },
    });
    return { actor, token: s.token, expiresAt: s.expiresAt };
  });
  if (!result) throw refuse();
  return result;
}
