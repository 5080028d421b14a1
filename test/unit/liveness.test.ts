import { describe, expect, it } from 'vitest';
import { beatAction, type Liveness } from '../../src/sync/liveness.ts';

const BEAT = 2000;

/** Runs the heartbeat over a socket that sends at the given times (ms) and then falls silent; returns the cut time. */
function cutAfter(sends: number[], answersPings: boolean, until = 60_000): { cut: number | null; pings: number } {
  const s: Liveness = { heardAt: 0, pingedAt: null };
  let pings = 0;
  for (let beat = BEAT; beat <= until; beat += BEAT) {
    for (const t of sends) if (t <= beat && t > s.heardAt) s.heardAt = t;
    const action = beatAction(s, beat, BEAT);
    if (action === 'terminate') return { cut: beat, pings };
    if (action === 'ping') {
      s.pingedAt = beat;
      pings++;
      if (answersPings) s.heardAt = beat + 20; // the pong, 20 ms later
    }
  }
  return { cut: null, pings };
}

describe('answer socket heartbeat (docs/rules.md §5)', () => {
  it('never pings a pupil who keeps typing, and never cuts them off', () => {
    const typing = Array.from({ length: 200 }, (_, i) => 300 * (i + 1)); // one update per 300 ms for a minute
    expect(cutAfter(typing, false, 59_000)).toEqual({ cut: null, pings: 0 });
  });

  it('pings a quiet pupil every beat and keeps them while they answer', () => {
    expect(cutAfter([], true)).toEqual({ cut: null, pings: 30 });
  });

  it('cuts a quiet socket that stops answering one beat after the unanswered ping', () => {
    expect(cutAfter([], false).cut).toBe(2 * BEAT);
  });

  it('cuts a typist whose laptop vanished within 4.5 s of the last message, wherever it falls between beats', () => {
    for (let last = 100; last < 4 * BEAT; last += 50) {
      const sends = Array.from({ length: Math.floor(last / 300) + 1 }, (_, i) => Math.min(last, 300 * i + 1));
      const { cut } = cutAfter([...sends, last], false);
      expect(cut! - last, `last message at ${last} ms`).toBeLessThanOrEqual(2.25 * BEAT);
      expect(cut! - last).toBeGreaterThan(0);
    }
  });
});
