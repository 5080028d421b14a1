import { isFinalClose } from '../../../src/protocol/closeCodes.ts';

/** Reconnect backoff for every websocket of the browser: 0.5 s doubling to 30 s. */
const BASE_MS = 500;
const MAX_MS = 30_000;

/**
 * The delay before reconnect attempt `attempt` (0-based): exponential, capped, and spread by a random factor
 * of 0.5–1.5 so that a room of pupils whose network returns at once does not reconnect in the same
 * millisecond (the server would see a thundering herd of logins-by-cookie and document loads).
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.5 + random()));
}

/**
 * The one reconnect policy of the answer socket, the live room and the national overview. A 44xx close is
 * the server's final decision (docs/protocol.md): asking again would get the same answer, so nobody retries.
 */
export const reconnectPolicy = {
  delayMs: reconnectDelay,
  shouldReconnect: (code: number): boolean => !isFinalClose(code),
} as const;
