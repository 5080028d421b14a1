import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld } from '../support/factories.ts';
import { loginOverHttp } from '../support/http.ts';
import { startTestServer } from '../support/testApp.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.closeAll(); });

const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
const value = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

describe('/metrics', () => {
  it('exposes connected candidates, updates, persist batches and latency, pending updates, PDF queue, logins and event-loop lag', async () => {
    const w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), candidates: 1 });
    const c = w.candidates[0];
    const cookie = await loginOverHttp(server.url, c.username, c.password);
    const client = new AnswerClient(server.url, c.registrationId, cookie);
    await client.waitSynced();
    client.type('Målt.');
    await client.waitSaved();
    const text = await scrape();
    expect(value(text, 'provesal_connected_candidates')).toBe(1);
    expect(value(text, 'provesal_answer_updates_received_total')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'provesal_persist_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^provesal_persist_seconds_bucket\{le="0.01"/m);
    expect(value(text, 'provesal_pending_updates')).toBe(0);
    expect(text).toMatch(/^provesal_pdf_jobs\{[^}]*state="pending"/m);
    expect(value(text, 'provesal_login_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    client.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(value(await scrape(), 'provesal_connected_candidates')).toBe(0);
  });
});
