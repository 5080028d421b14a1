import { isIP } from 'node:net';
import type { Config } from '../config.ts';

export type PublicOriginConfig = Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>;

/**
 * Our own origin, for every absolute URL we hand out (the .seb start and quit URLs) and for the websocket Origin
 * check. It comes from configuration only, never from a request: a Host header is the client's to choose, and the
 * first request's Host used to become the stored SEB start URL. PUBLIC_BASE_URL is required in production
 * (config.ts); for local development it is http://localhost:PORT (or the address HOST names).
 */
export function publicOrigin(config: PublicOriginConfig): string {
  if (config.PUBLIC_BASE_URL) return new URL(config.PUBLIC_BASE_URL).origin;
  const wildcard = config.HOST === '0.0.0.0' || config.HOST === '::';
  const host = wildcard ? 'localhost' : isIP(config.HOST) === 6 ? `[${config.HOST}]` : config.HOST;
  return new URL(`http://${host}:${config.PORT}`).origin;
}

/** Origins a browser may send on a state-changing request or websocket upgrade: ours, or the very host it asked. */
export function isOwnOrigin(origin: string, requestUrl: string, config: PublicOriginConfig): boolean {
  if (origin === publicOrigin(config)) return true;
  // Without PUBLIC_BASE_URL (development) a browser on http://127.0.0.1:3000 or a LAN address is still at home.
  // Cross-site pages cannot forge Origin, so equality with the Host they addressed is safe (same rule as CSRF).
  if (config.PUBLIC_BASE_URL) return false;
  try {
    const here = new URL(requestUrl);
    const scheme = here.protocol === 'wss:' ? 'https:' : here.protocol === 'ws:' ? 'http:' : here.protocol;
    return origin === `${scheme}//${here.host}`;
  } catch {
    return false;
  }
}
