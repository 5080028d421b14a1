import type { IncomingHttpHeaders } from 'node:http';
import type { AppDeps } from '../http/context.ts';

export interface LockdownCheckInput {
  sittingId: number;
  lockdownProfile: 'seb_required' | 'browser_fullscreen' | 'browser_monitored';
  /** The absolute URL as the client requested it (SEB hashes it with its Config Key). */
  requestUrl: string;
  headers: IncomingHttpHeaders | Headers;
}

export type LockdownCheck = { ok: true } | { ok: false; reason: string; da: string; en: string };

/**
 * The lockdown gate every sitting request and the answer websocket pass through (SPEC §7).
 * Sittings that do not require Safe Exam Browser pass; SEB-required sittings fail closed until
 * SEB verification is configured for them.
 */
export async function checkLockdown(_deps: AppDeps, input: LockdownCheckInput): Promise<LockdownCheck> {
  if (input.lockdownProfile !== 'seb_required') return { ok: true };
  return {
    ok: false, reason: 'seb-required',
    da: 'Denne prøve kræver Safe Exam Browser med prøvens konfiguration. Kontakt den tilsynsførende.',
    en: 'This exam requires Safe Exam Browser with the exam configuration. Contact the invigilator.',
  };
}
