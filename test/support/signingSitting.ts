import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { buildCandidate, buildWorld, sessionCookie } from './factories.ts';
import { TEST_SIGNING_DIR } from './submissionFactories.ts';
import { startTestServer } from './testApp.ts';

export interface SigningSitting {
  database: TestDatabase;
  node: Awaited<ReturnType<typeof startTestServer>>;
  w: Awaited<ReturnType<typeof buildWorld>>;
  /** A temporary folder for the PDFs a test writes, removed after the file's tests. */
  dir: string;
}

/**
 * For one test file: a server that signs PDFs (one worker) and a sitting running now that allows these kinds of
 * attachment; its pupils are made with `signingPupil`. Everything is torn down after the file's tests.
 */
export function signingSitting(kinds: string[], tmpPrefix: string): SigningSitting {
  const s = { dir: mkdtempSync(path.join(os.tmpdir(), tmpPrefix)) } as SigningSitting;
  beforeAll(async () => {
    s.database = await createTestDatabase();
    s.node = await startTestServer({ database: s.database, config: { DATA_DIR: TEST_SIGNING_DIR, PDF_WORKERS: '1' } });
    s.w = await buildWorld(s.database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 0 });
    await s.database.db.query(`UPDATE sittings SET aids = aids || jsonb_build_object('attachments', $2::jsonb) WHERE id = $1`, [
      s.w.sittingId,
      JSON.stringify(kinds),
    ]);
  }, 60_000);
  afterAll(async () => {
    await s.node?.closeAll();
    await s.database?.drop();
    rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}

/** A new pupil of the sitting, with a session cookie. */
export async function signingPupil(s: SigningSitting) {
  const c = await buildCandidate(s.database.db, { schoolId: s.w.schoolId, sittingId: s.w.sittingId, roomId: s.w.roomA });
  return { ...c, cookie: await sessionCookie(s.database.db, c) };
}
