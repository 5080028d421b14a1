import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_PAPER_PDF_BYTES, MAX_PAPER_TEXT_BYTES } from '../scheduling/schema.ts';
import { MAX_ITEM_PACKAGE_BYTES } from '../items/schema.ts';
import { MAX_CSV_BYTES } from '../schools/schema.ts';
import { MAX_VERIFY_BYTES } from '../submissions/schema.ts';
import { payloadTooLarge } from './errors.ts';

/**
 * Anything not listed below is a small JSON form: sign-in, an extra-time reason, a grade. The running server takes
 * its ceiling from JSON_BODY_LIMIT_BYTES (config.ts, same default).
 */
export const DEFAULT_BODY_BYTES = 64 * 1024;

/** The routes that take files, each with its own ceiling. */
const LARGE_BODIES: { method: string; path: RegExp; bytes: number }[] = [
  { method: 'PUT', path: /^\/api\/sittings\/\d+\/paper$/, bytes: MAX_PAPER_PDF_BYTES },
  { method: 'PUT', path: /^\/api\/sittings\/\d+\/paper\/text$/, bytes: MAX_PAPER_TEXT_BYTES },
  { method: 'PUT', path: /^\/api\/sittings\/\d+\/items$/, bytes: MAX_ITEM_PACKAGE_BYTES },
  { method: 'POST', path: /^\/api\/schools\/candidates\/import$/, bytes: MAX_CSV_BYTES },
  { method: 'POST', path: /^\/api\/submissions\/verify$/, bytes: MAX_VERIFY_BYTES },
];

export const bodyLimitOf = (method: string, path: string, defaultBytes = DEFAULT_BODY_BYTES): number =>
  LARGE_BODIES.find((l) => l.method === method && l.path.test(path))?.bytes ?? defaultBytes;

/**
 * Every request body is counted while it streams in and refused with 413 the moment it passes its route's
 * limit (or at once from Content-Length), before anything parses it: a 50 MB anonymous sign-in body must
 * not stall the event loop that carries every pupil's keystrokes.
 */
export function bodyLimits(defaultBytes = DEFAULT_BODY_BYTES): MiddlewareHandler {
  const guards = new Map<number, MiddlewareHandler>();
  const guard = (bytes: number) => {
    let g = guards.get(bytes);
    if (!g)
      guards.set(
        bytes,
        (g = bodyLimit({
          maxSize: bytes,
          onError: () => {
            throw payloadTooLarge(bytes);
          },
        })),
      );
    return g;
  };
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return guard(bodyLimitOf(c.req.method, c.req.path, defaultBytes))(c, next);
  };
}
