import { describe, expect, it } from 'vitest';
import { acceptsUpdates, autoHandInDueAt, endsAt, lobbyOpensAt, phase, type WindowInput } from '../../src/exam/window.ts';

const startsAt = new Date('2027-05-04T07:00:00.000Z');
const at = (ms: number) => new Date(startsAt.getTime() + ms);
const MIN = 60_000;
const w = (o: Partial<WindowInput> = {}): WindowInput => ({
  startsAt,
  durationMinutes: 240,
  lobbyOpensMinutes: 30,
  extraMinutes: 0,
  pausedSeconds: 0,
  pausedAt: null,
  endedAt: null,
  handedInAt: null,
  state: 'writing',
  ...o,
});

describe('the time window', () => {
  it('opens the lobby lobbyOpensMinutes before the start', () => {
    expect(lobbyOpensAt(w())).toEqual(at(-30 * MIN));
    expect(phase(w(), at(-30 * MIN - 1))).toBe('before_lobby');
    expect(phase(w(), at(-30 * MIN))).toBe('lobby');
  });

  it('starts writing exactly at startsAt, not a millisecond before', () => {
    expect(phase(w(), at(-1))).toBe('lobby');
    expect(phase(w(), at(0))).toBe('writing');
    expect(acceptsUpdates(w(), at(-1), 30)).toBe(false);
    expect(acceptsUpdates(w(), at(0), 30)).toBe(true);
  });

  it('ends at start + duration + extra minutes', () => {
    const x = w({ extraMinutes: 30 });
    expect(endsAt(x, at(0))).toEqual(at(270 * MIN));
    expect(phase(x, at(270 * MIN - 1))).toBe('writing');
    expect(phase(x, at(270 * MIN))).toBe('ended');
  });

  it('accepts in-flight updates until end + grace, and refuses from then on', () => {
    expect(acceptsUpdates(w(), at(240 * MIN + 29_999), 30)).toBe(true);
    expect(acceptsUpdates(w(), at(240 * MIN + 30_000), 30)).toBe(false);
    expect(autoHandInDueAt(w(), at(0), 30)).toEqual(at(240 * MIN + 30_000));
  });

  it('adds paused time back, and moves the end while a pause runs', () => {
    expect(endsAt(w({ pausedSeconds: 600 }), at(0))).toEqual(at(250 * MIN));
    const paused = w({ pausedAt: at(60 * MIN) });
    expect(endsAt(paused, at(70 * MIN))).toEqual(at(250 * MIN));
    expect(phase(paused, at(245 * MIN))).toBe('writing');
  });

  it('ends early when an invigilator ended the sitting for the room', () => {
    const ended = w({ endedAt: at(100 * MIN) });
    expect(endsAt(ended, at(0))).toEqual(at(100 * MIN));
    expect(phase(ended, at(100 * MIN))).toBe('ended');
  });

  it('takes no updates once handed in, absent or cancelled', () => {
    expect(acceptsUpdates(w({ state: 'handed_in' }), at(1), 30)).toBe(false);
    expect(acceptsUpdates(w({ state: 'absent' }), at(1), 30)).toBe(false);
    expect(acceptsUpdates(w({ cancelled: true }), at(1), 30)).toBe(false);
    expect(phase(w({ state: 'handed_in' }), at(1))).toBe('handed_in');
  });
});
