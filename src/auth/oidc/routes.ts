import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import type { AppDeps, AppEnv } from '../../http/context.ts';
import { AppError, badRequest } from '../../http/errors.ts';
import { SESSION_COOKIE } from '../sessions.ts';
import { errorPage, wantsHtml } from './errorPage.ts';
import { relyingPartyFor } from './registry.ts';
import { safeReturnTo } from './rules.ts';
import { beginUniLoginSignIn, finishUniLoginSignIn, PENDING_LOGIN_MINUTES } from './uniLoginSignIn.ts';

/** Binds a pending sign-in to the browser that began it (RFC 9700 §4.7: state alone is not bound to anyone). */
const BROWSER_COOKIE = 'provesal_oidc';
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/;

const notConfigured = () =>
  new AppError(404, 'oidc-not-configured', 'Log ind med UNI-Login er ikke slået til her.', 'Sign-in with UNI-Login is not enabled here.');

/**
 * Sign-in with UNI-Login (docs/rules.md §12), mounted at /api/auth/oidc. Refusals are problem+json; a browser that
 * navigated here (Accept: text/html) gets the same message as a small page with a way back to the login.
 */
export function uniLoginRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  relyingPartyFor(deps); // discovery starts with the server, not with the first pupil
  const party = () => {
    const rp = relyingPartyFor(deps);
    if (!rp) throw notConfigured();
    return rp;
  };
  const asPage = (handler: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
    try {
      return await handler(c);
    } catch (err) {
      if (err instanceof AppError && wantsHtml(c)) return errorPage(err);
      throw err;
    }
  };

  /** For the login page: offer UNI-Login only when configured, and say so when it is down. */
  app.get('/status', (c) => {
    const rp = relyingPartyFor(deps);
    return c.json({ configured: rp !== null, available: rp?.available ?? false });
  });

  app.get(
    '/start',
    asPage(async (c) => {
      const rp = party();
      const returnTo = safeReturnTo(c.req.query('returnTo'));
      if (returnTo === null) {
        throw badRequest('oidc-bad-return-to', 'returnTo skal være en sti på Prøvesal, fx /.', 'returnTo must be a path on Prøvesal, e.g. /.');
      }
      const existing = getCookie(c, BROWSER_COOKIE);
      // Reusing the key lets two tabs sign in at once; a fresh one is 256 random bits.
      const browserKey = existing && BROWSER_KEY.test(existing) ? existing : randomBytes(32).toString('base64url');
      const url = await beginUniLoginSignIn(deps, rp, { returnTo, staff: c.req.query('role') === 'staff', browserKey });
      // Lax, not Strict: the callback arrives as a top-level navigation from the provider's site.
      setCookie(c, BROWSER_COOKIE, browserKey, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: deps.config.COOKIE_SECURE,
        path: '/api/auth/oidc',
        maxAge: PENDING_LOGIN_MINUTES * 60,
      });
      return c.redirect(url.href, 302);
    }),
  );

  app.get(
    '/callback',
    asPage(async (c) => {
      const rp = party();
      const query = new URL(c.req.url).searchParams;
      const signedIn = await finishUniLoginSignIn(deps, rp, {
        query,
        browserKey: getCookie(c, BROWSER_COOKIE) ?? null,
        meta: { address: c.get('clientAddress'), userAgent: c.req.header('user-agent') ?? null },
      });
      setCookie(c, SESSION_COOKIE, signedIn.token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: deps.config.COOKIE_SECURE,
        path: '/',
        expires: signedIn.expiresAt,
      });
      return c.redirect(signedIn.returnTo, 302);
    }),
  );
  return app;
}
