import { describe, expect, it } from 'vitest';
import { channels, InProcessBus } from '../../src/events/bus.ts';
import { RESYNC_EVENT } from '../../src/events/redisBus.ts';
import type { AppDeps } from '../../src/http/context.ts';
import { RoomFeed } from '../../src/invigilation/roomFeed.ts';
import type { LiveMessage } from '../support/liveSocket.ts';

/** The room feed's ordering and presence rules with a stand-in database whose roster read can be held. */
function setup() {
  const bus = new InProcessBus();
  let release: () => void = () => {};
  let held = false;
  let rosterReads = 0;
  const db = {
    async query(sql: string) {
      if (sql.includes('FROM lockdown_events') || sql.includes('FROM room_events')) return { rows: [] };
      rosterReads++;
      if (held)
        await new Promise<void>((r) => {
          release = r;
        });
      return { rows: [] };
    },
  };
  const deps = { bus, db, now: () => new Date('2027-05-04T08:00:00Z'), log: { warn() {} } } as unknown as AppDeps;
  const feed = new RoomFeed(deps, 1, 2);
  const viewer = () => {
    const got: LiveMessage[] = [];
    return { got, send: (m: unknown) => got.push(m as LiveMessage) };
  };
  return {
    bus,
    feed,
    viewer,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      release();
    },
    reads: () => rosterReads,
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('room feed', () => {
  it('sends the snapshot first and the events that arrived while it was read right after it, in order', async () => {
    const { bus, feed, viewer, hold, release } = setup();
    const v = viewer();
    hold();
    const joined = feed.join(v);
    await tick();
    await bus.publish(channels.room(1, 2), { type: 'candidate.connected', registrationId: 5, at: 'a', node: 'n1' });
    await bus.publish(channels.room(1, 2), { type: 'candidate.disconnected', registrationId: 5, at: 'b', node: 'n1' });
    expect(v.got).toEqual([]);
    release();
    await joined;
    expect(v.got.map((m) => (m.type === 'snapshot' ? 'snapshot' : m.event?.type))).toEqual(['snapshot', 'candidate.connected', 'candidate.disconnected']);
  });

  it('hears nothing of other rooms, and stops listening when the last viewer leaves', async () => {
    const { bus, feed, viewer } = setup();
    const v = viewer();
    await feed.join(v);
    await bus.publish(channels.room(1, 3), { type: 'candidate.connected', registrationId: 9, at: 'a', node: 'n1' });
    expect(feed.leave(v)).toBe(true);
    await bus.publish(channels.room(1, 2), { type: 'candidate.connected', registrationId: 5, at: 'a', node: 'n1' });
    expect(v.got.map((m) => m.type)).toEqual(['snapshot']);
  });

  it('answers a bus resync with a fresh snapshot from the database', async () => {
    const { bus, feed, viewer, reads } = setup();
    const v = viewer();
    await feed.join(v);
    await bus.publish(channels.room(1, 2), { type: RESYNC_EVENT, at: new Date().toISOString() });
    await tick();
    await tick();
    expect(v.got.map((m) => m.type)).toEqual(['snapshot', 'snapshot']);
    expect(reads()).toBe(2);
  });

  it('announces a candidate of a dead node once, dated at the last heartbeat, and back when it beats again', async () => {
    const { feed, viewer } = setup();
    const v = viewer();
    await feed.join(v);
    const hb = new Date('2027-05-04T07:59:30Z');
    const row = { registration_id: 5, sitting_id: 1, room_id: 2, heartbeat_at: hb };
    feed.notePresence([{ ...row, stale: false }]);
    feed.notePresence([{ ...row, stale: true }]);
    feed.notePresence([{ ...row, stale: true }]);
    feed.notePresence([{ ...row, stale: false }]);
    const events = v.got.filter((m) => m.type === 'event').map((m) => m.event);
    expect(events).toEqual([
      { type: 'candidate.disconnected', registrationId: 5, at: hb.toISOString(), reason: 'node-lost' },
      { type: 'candidate.connected', registrationId: 5, at: '2027-05-04T08:00:00.000Z', reason: 'node-back' },
    ]);
  });
});
