import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config.ts';

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The Content-Security-Policy of everything we serve. No inline script anywhere (the Vite build emits external
 * module scripts; the access-code sheet has no script), so injected markup cannot run code. Styles may be inline:
 * Tiptap injects its base stylesheet and ProseMirror sets style attributes at run time (client/src/candidate).
 * Answer sockets are same-host ws:/wss:; with PUBLIC_BASE_URL only that host's.
 */
export function contentSecurityPolicy(config: Pick<Config, 'PUBLIC_BASE_URL'>) {
  const sockets = config.PUBLIC_BASE_URL ? [new URL(config.PUBLIC_BASE_URL).origin.replace(/^http/, 'ws')] : ['ws:', 'wss:']; // development: whatever host the browser used, see http/publicOrigin.ts
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", ...sockets],
    workerSrc: ["'self'", 'blob:'],
    // The question paper PDF is shown in a same-origin frame (client/src/candidate/paper.ts).
    frameSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

/**
 * Security headers on every response — HTML, JSON, static files and problem+json alike — through Hono's
 * secureHeaders. A handler that sets its own Content-Security-Policy keeps it (the access-code sheet's is stricter).
 * PDFs may be framed by our own pages (the paper view) and get only `frame-ancestors 'self'`: a document-wide
 * policy could keep the browser's PDF viewer from loading in it. HSTS only when cookies are Secure, i.e. TLS is
 * in front (COOKIE_SECURE); over plain HTTP it would be ignored or, worse, lock a dev host out.
 */
export function securityHeaders(config: Pick<Config, 'PUBLIC_BASE_URL' | 'COOKIE_SECURE'>): MiddlewareHandler {
  const guard = secureHeaders({
    contentSecurityPolicy: contentSecurityPolicy(config),
    strictTransportSecurity: config.COOKIE_SECURE ? HSTS : false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    overwrite: false,
  });
  return (c, next) =>
    guard(c, async () => {
      await next();
      if (/^application\/pdf\b/i.test(c.res.headers.get('content-type') ?? '')) {
        c.res.headers.set('Content-Security-Policy', "frame-ancestors 'self'");
        c.res.headers.set('X-Frame-Options', 'SAMEORIGIN');
      }
    });
}
