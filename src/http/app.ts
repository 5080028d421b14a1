import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import { randomUUID } from 'node:crypto';
import { authRoutes } from '../auth/routes.ts';
import { sessionMiddleware } from '../auth/middleware.ts';
import { healthRoutes } from '../monitoring/health.ts';
import { metricsRoutes } from '../monitoring/metricsRoutes.ts';
import type { AppDeps, AppEnv } from './context.ts';
import { HTTPException } from 'hono/http-exception';
import { bodyLimits } from './bodyLimits.ts';
import { clientAddressFrom, proxyTrustFrom } from './clientAddress.ts';
import { problemFromDatabase } from './databaseErrors.ts';
import { AppError, csrfRefused, internalError, noSuchRoute } from './errors.ts';
import { problemResponse } from './problem.ts';
import { isOwnOrigin } from './publicOrigin.ts';
import { requestUrl } from './requestUrl.ts';
import { securityHeaders } from './securityHeaders.ts';
import { staticClient } from './staticClient.ts';

/** Extra sub-apps a domain mounts under /api (each domain exports its own). */
export type RouteMount = [path: string, app: Hono<AppEnv>];

/**
 * The HTTP app: one error handler for everything (a sub-app's onError is ignored once mounted),
 * sessions resolved once per request, CSRF refused by Origin/Sec-Fetch-Site checks; JSON bodies
 * cannot be sent cross-site without a CORS preflight we never grant, and cookies are SameSite=Strict.
 */
export function createApp(deps: AppDeps, mounts: RouteMount[] = []) {
  const app = new Hono<AppEnv>();
  const proxyTrust = proxyTrustFrom(deps.config);

  app.use('*', securityHeaders(deps.config));
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    // Derived once, by one rule, for rate limits, audit, sessions and the SEB hash alike.
    const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
    c.set('clientAddress', clientAddressFrom(socket?.remoteAddress, c.req.header('x-forwarded-for'), proxyTrust));
    const url = new URL(c.req.url);
    c.set('requestUrl', requestUrl(url.pathname + url.search, c.req.raw.headers, deps.config));
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (c.res.status >= 500) deps.log.error({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request failed');
    else deps.log.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  });
  const csrfGuard = csrf({ origin: (origin, c) => isOwnOrigin(origin, (c as Context<AppEnv>).get('requestUrl'), deps.config) });
  app.use('/api/*', async (c, next) => {
    // Hono's guard throws a bare 403; ours names the reason. Only its own refusal is translated here.
    try {
      await csrfGuard(c, async () => {
        /* allowed: the real next() runs below */
      });
    } catch (err) {
      throw err instanceof HTTPException && err.status === 403 ? csrfRefused() : err;
    }
    await next();
  });
  app.use('/api/*', bodyLimits(deps.config.JSON_BODY_LIMIT_BYTES));
  app.use('/api/*', sessionMiddleware(deps));
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  for (const [path, sub] of mounts) app.route(path, sub);

  app.all('/api/*', () => {
    throw noSuchRoute();
  });
  app.route('/', staticClient());

  app.notFound((c) => problemResponse(c, noSuchRoute()));
  app.onError((err, c) => {
    if (err instanceof AppError) return problemResponse(c, err);
    const refusal = problemFromDatabase(err);
    if (refusal) {
      // Logged in full (SQL detail included) for us; the caller gets the refusal without it.
      deps.log.warn({ err, path: c.req.path, requestId: c.get('requestId') }, 'input refused by a database constraint');
      return problemResponse(c, refusal);
    }
    deps.log.error({ err, path: c.req.path, requestId: c.get('requestId') }, 'unhandled error');
    return problemResponse(c, internalError());
  });
  return app;
}
