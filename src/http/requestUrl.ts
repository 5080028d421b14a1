import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.ts';

/** Headers as Hono (fetch `Headers`) or node's upgrade handler (`IncomingHttpHeaders`) hold them. */
export type HeaderSource = Headers | IncomingHttpHeaders;

export type RequestUrlConfig = Pick<Config, 'PUBLIC_BASE_URL' | 'TRUST_PROXY'>;

export const headerOf = (h: HeaderSource, name: string): string | undefined => {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The first of a comma-separated list (proxies set X-Forwarded-Proto/-Host; ours overwrite them). */
const first = (v: string | undefined) => v?.split(',')[0].trim() || undefined;

// A host[:port] and nothing else: a Host header carrying a path or credentials must not move the URL.
const plainHost = (v: string | undefined) => (v && /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(v) ? v : undefined);

/**
 * The absolute URL as the client requested it — Safe Exam Browser hashes exactly that (docs/rules.md §7), so
 * HTTP routes and the answer websocket must agree. PUBLIC_BASE_URL wins; else the forwarded proto/host when
 * TRUST_PROXY, else the Host header. A websocket upgrade gets ws:/wss:. `path` is the request target
 * (`/ws/answers/7?x=1`); it can only ever name a path on our own origin.
 */
export function requestUrl(path: string, headers: HeaderSource, config: RequestUrlConfig): string {
  const target = pathOf(path);
  let origin: string;
  if (config.PUBLIC_BASE_URL) {
    origin = new URL(config.PUBLIC_BASE_URL).origin;
  } else {
    const proto = config.TRUST_PROXY ? first(headerOf(headers, 'x-forwarded-proto')) : undefined;
    const forwardedHost = config.TRUST_PROXY ? plainHost(first(headerOf(headers, 'x-forwarded-host'))) : undefined;
    const host = forwardedHost ?? plainHost(headerOf(headers, 'host')) ?? 'localhost';
    origin = `${proto === 'https' ? 'https' : 'http'}://${host}`;
  }
  let url: URL;
  try {
    url = new URL(origin + target);
  } catch {
    url = new URL(`http://localhost${target}`);
  }
  if (/^websocket$/i.test(headerOf(headers, 'upgrade') ?? '')) url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Origin-form stays as it is (`//evil.example/x` is a path here, not a host); absolute-form keeps its path only. */
function pathOf(target: string): string {
  if (target.startsWith('/')) return target;
  try {
    const u = new URL(target);
    return u.pathname + u.search;
  } catch {
    return `/${target}`;
  }
}
