import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AppDeps } from '../http/context.ts';
import { configKeyHash } from './configKey.ts';
import { sittingConfig } from './sittingConfig.ts';

export interface LockdownCheckInput {
  sittingId: number;
  lockdownProfile: 'seb_required' | 'browser_fullscreen' | 'browser_monitored';
  /** The absolute URL as the client requested it (SEB hashes it with its Config Key). */
  requestUrl: string;
  headers: IncomingHttpHeaders | Headers;
}

export type LockdownCheck = { ok: true } | { ok: false; reason: string; da: string; en: string };

const header = (h: IncomingHttpHeaders | Headers, name: string): string | undefined =>
  h instanceof Headers ? (h.get(name) ?? undefined) : Array.isArray(h[name]) ? (h[name] as string[])[0] : (h[name] as string | undefined);

const sameHex = (a: string | undefined, b: string) => !!a && /^[0-9a-f]{64}$/i.test(a) && timingSafeEqual(Buffer.from(a.toLowerCase()), Buffer.from(b));

const REFUSED = {
  ok: false as const,
  reason: 'seb-config-mismatch',
  da: 'Computeren kører ikke Safe Exam Browser med prøvens konfiguration. Tilkald den tilsynsførende: start prøven igen fra prøvens .seb-fil.',
  en: "This computer is not running Safe Exam Browser with the exam's configuration. Call the invigilator: start the exam again from its .seb file.",
};

/**
 * The lockdown gate of every candidate request and the answer websocket (docs/rules.md §7). For a sitting that requires
 * Safe Exam Browser, X-SafeExamBrowser-ConfigKeyHash must equal SHA-256(requested URL + the sitting's Config Key).
 * Where SEB cannot send headers, our page presents the hash SEB's JavaScript API computed for the page URL
 * (X-Provesal-Seb-ConfigKeyHash + X-Provesal-Seb-Url), checked the same way against one of our own URLs.
 */
export async function checkLockdown(deps: AppDeps, input: LockdownCheckInput): Promise<LockdownCheck> {
  if (input.lockdownProfile !== 'seb_required') return { ok: true };
  const { key, origin } = await sittingConfig(deps, input.sittingId);
  if (sameHex(header(input.headers, 'x-safeexambrowser-configkeyhash'), configKeyHash(input.requestUrl, key))) return { ok: true };
  const pageUrl = header(input.headers, 'x-provesal-seb-url');
  if (pageUrl && sameOriginAs(pageUrl, origin) && sameHex(header(input.headers, 'x-provesal-seb-configkeyhash'), configKeyHash(pageUrl, key)))
    return { ok: true };
  return REFUSED;
}

function sameOriginAs(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
