import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Db } from '../../src/db/pool.ts';
import { findRegistrationContext } from '../../src/exam/queries.ts';
import { PresenceReporter } from '../../src/sync/presenceReporter.ts';
import { buildWorld } from '../support/factories.ts';
import { until } from '../support/poll.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

// Presence is a view the invigilator acts on (docs/rules.md §5): a start storm's arrivals written as one batch must
// survive a failed write, or a whole room of writing pupils would read as absent.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('presence arrivals', () => {
  it('are written even when the first attempt at their batch fails', async () => {
    const w = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() - 60_000), candidates: 2 });
    let failures = 1;
    const flaky = new Proxy(t.deps.db, {
      get(target, key, receiver) {
        if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
        return (...args: unknown[]) => {
          if (failures > 0) {
            failures -= 1;
            return Promise.reject(new Error('connection terminated unexpectedly'));
          }
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Db;
    const reporter = new PresenceReporter(flaky, t.deps.bus, pino({ level: 'silent' }), 'node-test', () => new Date());
    for (const c of w.candidates) {
      const r = await findRegistrationContext(t.deps.db, c.registrationId);
      reporter.connected(r!, { deviceId: `device-${c.registrationId}`, connectionId: `conn-${c.registrationId}` }, 'writing');
    }
    const ids = w.candidates.map((c) => c.registrationId);
    const connected = async () =>
      (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM presence WHERE registration_id = ANY($1) AND connected', [ids])).rows[0].n;
    await until(async () => (await connected()) === 2, { what: 'both pupils connected', timeoutMs: 5_000 });
    expect(failures).toBe(0);
    await reporter.stop();
  });
});
