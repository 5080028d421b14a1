import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reconnectPolicy } from '../../client/src/shell/backoff.ts';
import { Reconnector } from '../../client/src/shell/socket.ts';
import { AnswerClose, LiveRoomClose, NationalClose } from '../../src/protocol/closeCodes.ts';

describe("the browser's one reconnect policy", () => {
  it('never retries a 44xx close of any socket, and retries restarts, load failures and dropped connections', () => {
    for (const c of [...Object.values(AnswerClose), ...Object.values(LiveRoomClose), ...Object.values(NationalClose)]) {
      expect(reconnectPolicy.shouldReconnect(c.code), `${c.code} ${c.reason}`).toBe(c.code < 4400);
    }
    expect(reconnectPolicy.shouldReconnect(1006)).toBe(true);
  });
});

describe('Reconnector', () => {
  let connect: ReturnType<typeof vi.fn<() => void>>;
  let r: Reconnector;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // jitter factor 1.0
    connect = vi.fn<() => void>();
    r = new Reconnector(connect);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('backs off 0.5 s, 1 s, 2 s… and starts over once a connection proved healthy', () => {
    expect(r.closed(1006)).toBe(true);
    vi.advanceTimersByTime(499);
    expect(connect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(connect).toHaveBeenCalledTimes(1);
    r.closed(1012);
    vi.advanceTimersByTime(999);
    expect(connect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(connect).toHaveBeenCalledTimes(2);
    r.succeeded();
    r.closed(1011);
    vi.advanceTimersByTime(500);
    expect(connect).toHaveBeenCalledTimes(3);
  });

  it('stops at a final close: no retry, not even when the network comes back, until reset', () => {
    expect(r.closed(AnswerClose.replaced.code)).toBe(false);
    r.soon();
    expect(r.closed(1006)).toBe(false);
    vi.advanceTimersByTime(120_000);
    expect(connect).not.toHaveBeenCalled();
    r.reset();
    r.soon();
    vi.advanceTimersByTime(1_000);
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('stop() cancels a scheduled reconnect for good', () => {
    r.closed(1006);
    r.stop();
    r.soon();
    vi.advanceTimersByTime(120_000);
    expect(connect).not.toHaveBeenCalled();
  });
});
