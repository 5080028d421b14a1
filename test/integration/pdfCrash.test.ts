import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { until } from '../support/poll.ts';
import { spawnServer, type ServerProcess } from '../support/serverProcess.ts';

let database: TestDatabase;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.kill('SIGKILL');
  await database.drop();
});

describe('a server killed while PDFs are being produced', () => {
  it('loses no job: after a restart every handed-in answer gets its signed PDF exactly once', async () => {
    const N = 30;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'provesal-pdfcrash-'));
    chmodSync(dataDir, 0o755);
    // Both lives of the server share the data directory (the signing identity) and a short job lease.
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PDF_JOB_LEASE_SECONDS: '3', PDF_WORKERS: '1' };
    const w = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: N });
    const first = await spawnServer(env);
    servers.push(first);
    const receipts = await Promise.all(
      w.candidates.map(async (c) => {
        const cookie = await sessionCookie(database.db, c);
        const res = await postJson(first.url, `/api/exam/registrations/${c.registrationId}/hand-in`, cookie, { confirm: true });
        expect(res.status).toBe(200);
        return res.json();
      }),
    );
    expect(receipts).toHaveLength(N);
    // Kill it in the middle of production: some PDFs done, some being rendered, most still queued.
    await until(
      async () => {
        const { rows } = await database.db.query(
          "SELECT count(*) FILTER (WHERE state = 'done')::int AS done, count(*) FILTER (WHERE state = 'running')::int AS running FROM pdf_jobs",
        );
        return rows[0].done >= 1 && rows[0].running >= 1;
      },
      { what: 'one PDF done and one being rendered', timeoutMs: 20_000, intervalMs: 10 },
    );
    await first.kill('SIGKILL');
    const atKill = (await database.db.query("SELECT count(*) FILTER (WHERE state = 'done')::int AS done FROM pdf_jobs")).rows[0].done;
    expect(atKill).toBeLessThan(N);

    const second = await spawnServer(env);
    servers.push(second);
    const doneJobs = async () => (await database.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pdf_jobs WHERE state = 'done'")).rows[0].n;
    await until(async () => (await doneJobs()) === N, { what: `all ${N} PDFs after the restart`, timeoutMs: 45_000, intervalMs: 200 });
    const { rows } = await database.db.query(
      `SELECT count(*)::int AS submissions, count(*) FILTER (WHERE pdf IS NOT NULL AND pdf_signed_at IS NOT NULL)::int AS signed,
              count(DISTINCT pdf_sha256)::int AS distinct_pdfs FROM submissions`,
    );
    expect(rows[0]).toEqual({ submissions: N, signed: N, distinct_pdfs: N });
    const jobs = await database.db.query("SELECT count(*)::int AS n FROM pdf_jobs WHERE state <> 'done'");
    expect(jobs.rows[0].n).toBe(0);
  }, 90_000);
});
