import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Actor, AppDeps, AppEnv, Role } from '../http/context.ts';
import { forbidden, unauthorized } from '../http/errors.ts';
import { resolveSession, SESSION_COOKIE } from './sessions.ts';

/** Resolves the session cookie (if any) to c.var.actor; an expired session is told apart from none. */
export function sessionMiddleware(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('actor', null);
    c.set('sessionProblem', null);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const state = await resolveSession(deps.db, token, deps.now());
      if ('actor' in state) c.set('actor', state.actor);
      else c.set('sessionProblem', state.problem);
    }
    await next();
  };
}

/** The signed-in actor, or 401 (with `session-expired` when the cookie's session has run out). */
export function requireActor(c: Context<AppEnv>, ...roles: Role[]): Actor {
  const actor = c.get('actor');
  if (!actor) {
    const problem = c.get('sessionProblem');
    if (problem === 'expired') throw unauthorized('session-expired', 'Din session er udløbet. Log ind igen.', 'Your session has expired. Sign in again.');
    throw unauthorized();
  }
  if (roles.length && !roles.includes(actor.role)) {
    throw forbidden('Din rolle giver ikke adgang til dette.', `Your role (${actor.role}) may not do this.`);
  }
  return actor;
}
