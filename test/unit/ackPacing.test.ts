import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ACK_PACING, ackDelayMs } from '../../src/sync/ackPacing.ts';
import { AnswerConnection, type ConnectionClock } from '../../src/sync/answerConnection.ts';
import type { LiveDocument } from '../../src/sync/liveDocument.ts';

/** A connection over a socket that only records what is sent, on a document whose durable state never changes. */
function connection(clock: ConnectionClock): { conn: AnswerConnection; sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  const ws = { OPEN: 1, readyState: 1, send: (m: Uint8Array) => sent.push(m) } as unknown as WebSocket;
  const doc = { durableStateVector: () => new Uint8Array([0]) } as unknown as LiveDocument;
  return { conn: new AnswerConnection('c', ws, doc, clock), sent };
}

describe('acknowledgement pacing: admissions first in a start storm (docs/performance.md)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds acknowledgements only while a storm of sockets is being admitted', () => {
    expect(ackDelayMs(0)).toBe(0);
    expect(ackDelayMs(ACK_PACING.stormAdmitting - 1)).toBe(0);
    expect(ackDelayMs(ACK_PACING.stormAdmitting)).toBe(ACK_PACING.stormAckDelayMs);
    expect(ackDelayMs(5_000)).toBe(ACK_PACING.stormAckDelayMs);
  });

  it('sends a due acknowledgement at the next turn of the loop when no storm is being admitted', () => {
    const { conn, sent } = connection({ now: () => new Date(), graceSeconds: 0, ackDelayMs: () => 0 });
    conn.ack();
    expect(sent).toHaveLength(0);
    vi.runOnlyPendingTimers();
    expect(sent).toHaveLength(1);
  });

  it('gathers the acknowledgements due during a storm and sends each once, after the delay', () => {
    let admitting: number = ACK_PACING.stormAdmitting;
    const clock = { now: () => new Date(), graceSeconds: 0, ackDelayMs: () => ackDelayMs(admitting) };
    const a = connection(clock);
    const b = connection(clock);
    a.conn.ack();
    vi.advanceTimersByTime(ACK_PACING.stormAckDelayMs / 2);
    b.conn.ack();
    a.conn.ack();
    admitting = 0; // the storm is over; what was gathered still goes out with the first one's timer
    vi.advanceTimersByTime(ACK_PACING.stormAckDelayMs / 2 - 1);
    expect([a.sent.length, b.sent.length]).toEqual([0, 0]);
    vi.advanceTimersByTime(1);
    expect([a.sent.length, b.sent.length]).toEqual([1, 1]);
    b.conn.ack();
    vi.runOnlyPendingTimers();
    expect(b.sent).toHaveLength(2);
  });

  it('sends held acknowledgements at once on a graceful stop', () => {
    const { conn, sent } = connection({ now: () => new Date(), graceSeconds: 0, ackDelayMs: () => ACK_PACING.stormAckDelayMs });
    conn.ack();
    AnswerConnection.flushAcks();
    expect(sent).toHaveLength(1);
    vi.runOnlyPendingTimers(); // the cancelled timer sends nothing twice
    expect(sent).toHaveLength(1);
  });
});
