import { api } from './api.ts';

/**
 * The server clock (docs/rules.md §4): the lobby countdown and remaining time use it, so a wrong laptop clock
 * changes nothing. Offset from the fastest of a few round trips (NTP-style midpoint).
 */
let offsetMs = 0;

export const serverNow = (): number => Date.now() + offsetMs;

export async function syncServerClock(samples = 4): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < samples; i++) {
    const sent = Date.now();
    try {
      const { epochMs } = await api<{ epochMs: number }>('/api/time');
      const received = Date.now();
      const rtt = received - sent;
      if (rtt < best.rtt) best = { rtt, offset: epochMs - (sent + rtt / 2) };
    } catch {
      /* offline: keep the last offset */
    }
  }
  if (best.rtt !== Infinity) offsetMs = best.offset;
  return offsetMs;
}
