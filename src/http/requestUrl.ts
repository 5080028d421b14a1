import type { Context } from 'hono';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The absolute URL a client asked for, as Safe Exam Browser hashes it. Behind a proxy only PUBLIC_BASE_URL
 * knows the public scheme and host; without it the request's own Host is used, and only for this one
 * comparison, never stored (a Host header is the client's to choose).
 */
export function requestUrl(pathAndQuery: string, headers: IncomingHttpHeaders, config: { PUBLIC_BASE_URL?: string }, scheme: 'http' | 'ws'): string {
  if (config.PUBLIC_BASE_URL) {
    const u = new URL(pathAndQuery, config.PUBLIC_BASE_URL);
    if (scheme === 'ws') u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    return u.toString();
  }
  return `${scheme}://${headers.host ?? 'localhost'}${pathAndQuery}`;
}

/** The same for a Hono request. */
export function requestUrlOfContext(c: Context, config: { PUBLIC_BASE_URL?: string }): string {
  const u = new URL(c.req.url);
  return requestUrl(u.pathname + u.search, { host: u.host }, config, 'http');
}
