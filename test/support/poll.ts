/** What to wait for: a name for the failure message, a deadline, and optionally the state to print when it fails. */
export interface UntilOptions {
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Printed with the timeout so a failure shows what was seen instead (messages, close codes, rows). */
  detail?: () => unknown;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Waits until `probe` returns a truthy value and returns it; throws "timed out after N ms waiting for <what>" otherwise.
 * The one poll of the suite: asynchronous effects (a socket message, a row written by a sweep) are awaited as a
 * condition, never as a fixed sleep, so a test is as fast as the system and fails with a message, not a bare false.
 */
export async function until<T>(probe: () => T | Promise<T>, o: UntilOptions): Promise<Truthy<T>> {
  const timeoutMs = o.timeoutMs ?? 5_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) {
      const detail = o.detail ? `; seen: ${JSON.stringify(o.detail())}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${o.what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 20));
  }
}
