import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld } from '../support/factories.ts';
import { loginOverHttp } from '../support/http.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.closeAll();
});

const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
const value = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

describe('/metrics', () => {
  it('exposes connected candidates, updates, persist batches and latency, pending updates, PDF queue, logins and event-loop lag', async () => {
    const w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), candidates: 1 });
    const c = w.candidates[0];
    // A real sign-in (not the session factory): the login histogram is one of the metrics under test.
    const cookie = await loginOverHttp(server.url, c.username, c.password);
    const client = new AnswerClient(server.url, c.registrationId, cookie);
    await client.waitSynced();
    client.type('Målt.');
    await client.waitSaved();
    const text = await scrape();
    expect(value(text, 'provesal_connected_candidates')).toBe(1);
    // This server is the test's own: the one typed paragraph is the one update received, stored in one batch.
    expect(value(text, 'provesal_answer_updates_received_total')).toBe(1);
    expect(value(text, 'provesal_persist_batch_size_count')).toBe(1);
    expect(text).toMatch(/^provesal_persist_seconds_bucket\{le="0.01"/m);
    expect(value(text, 'provesal_pending_updates')).toBe(0);
    expect(text).toMatch(/^provesal_pdf_jobs\{[^}]*state="pending"/m);
    expect(value(text, 'provesal_login_seconds_count')).toBe(1);
    // A lag gauge that is missing reads NaN; a real one is a small, finite number of seconds.
    const lag = value(text, 'nodejs_eventloop_lag_seconds');
    expect(Number.isFinite(lag) && lag >= 0 && lag < 5).toBe(true);
    client.destroy();
    await until(async () => value(await scrape(), 'provesal_connected_candidates') === 0, { what: 'connected candidates back to 0', intervalMs: 50 });
  });
});
