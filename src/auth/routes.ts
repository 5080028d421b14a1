import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { withTransaction } from '../db/pool.ts';
import { appendAudit } from '../audit/auditLog.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { jsonBody } from '../http/validate.ts';
import { requireActor } from './middleware.ts';
import { sessionIdToken } from './oidc/queries.ts';
import { relyingPartyFor } from './oidc/registry.ts';
import { uniLoginRoutes } from './oidc/routes.ts';
import { revokeSession } from './queries.ts';
import { accessCodeLoginSchema, passwordLoginSchema } from './schema.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { signInWithAccessCode, signInWithPassword, type SignedIn } from './signIn.ts';

export function authRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const meta = (c: Context<AppEnv>) => ({ address: c.get('clientAddress'), userAgent: c.req.header('user-agent') ?? null });
  const answer = (c: Context, s: SignedIn) => {
    setCookie(c, SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.config.COOKIE_SECURE,
      path: '/',
      expires: s.expiresAt,
    });
    return c.json({ user: publicActor(s.actor), expiresAt: s.expiresAt.toISOString() });
  };

  app.post('/login', async (c) => {
    const body = await jsonBody(c, passwordLoginSchema);
    return answer(c, await signInWithPassword(deps, body.username, body.password, meta(c)));
  });

  app.post('/code', async (c) => {
    const body = await jsonBody(c, accessCodeLoginSchema);
    return answer(c, await signInWithAccessCode(deps, body.code, meta(c)));
  });

  app.post('/logout', async (c) => {
    const actor = requireActor(c);
    const idToken = await withTransaction(deps.db, async (tx) => {
      await revokeSession(tx, actor.sessionId);
      await appendAudit(tx, { actor, action: 'auth.logout', subjectType: 'user', subjectId: actor.userId });
      return sessionIdToken(tx, actor.sessionId);
    });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    // A UNI-Login session is ended at the provider too (RP-initiated logout), or the next pupil at this
    // computer would be signed in as this one without typing anything.
    const endSessionUrl = idToken ? (relyingPartyFor(deps)?.endSessionUrl(idToken)?.href ?? null) : null;
    return c.json({ ok: true, endSessionUrl });
  });

  app.route('/oidc', uniLoginRoutes(deps));

  app.get('/me', (c) => c.json({ user: publicActor(requireActor(c)) }));

  /**
   * The sign-in queue during the 08:30 storm: bcrypt is served first come, first served by the hashing threads,
   * so a waiting pupil can be shown roughly how many are ahead instead of an error.
   */
  app.get('/queue', (c) => {
    const waiting = deps.passwords.queued;
    // ~66 ms per hash per thread at cost 10 on this hardware.
    return c.json({ waiting, estimateSeconds: Math.ceil((waiting * 0.066 * 2 ** (deps.config.BCRYPT_COST - 10)) / deps.config.PASSWORD_WORKERS) });
  });
  return app;
}

const publicActor = (a: { userId: number; username: string; displayName: string; role: string; schoolId: number | null }) => ({
  id: a.userId,
  username: a.username,
  displayName: a.displayName,
  role: a.role,
  schoolId: a.schoolId,
});
