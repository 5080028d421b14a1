import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildCandidate, buildUser, buildWorld, sessionCookie } from '../support/factories.ts';
import { ggb, pdf, png } from '../support/attachmentFiles.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';
import { breakingBody, createUpload, patchUpload, uploadOffset } from '../support/tusClient.ts';

/**
 * Pupils' attachments over the tus protocol against two app nodes on one PostgreSQL (docs/rules.md "Attachments"):
 * resuming from the server's offset on either node, the hash of what was stored, and every refusal.
 */
const MB = 1024 * 1024;
const config = { ATTACHMENT_MAX_FILE_BYTES: String(4 * MB), ATTACHMENT_QUOTA_BYTES: String(6 * MB), ATTACHMENT_MAX_FILES: '3' };
let database: TestDatabase;
let node1: Awaited<ReturnType<typeof startTestServer>>;
let node2: Awaited<ReturnType<typeof startTestServer>>;
let w: Awaited<ReturnType<typeof buildWorld>>;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const problem = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type'), ...((await res.json()) as { type: string; detail: string }) });

/** A pupil of the world's sitting (which allows images, PDF and GeoGebra) with a session. */
async function pupil() {
  const c = await buildCandidate(database.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
  return { ...c, cookie: await sessionCookie(database.db, c) };
}

async function list(base: string, cookie: string, registrationId: number) {
  const res = await fetch(`${base}/api/attachments/registrations/${registrationId}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as { attachments: { id: string; name: string; size: number; type: string; sha256: string }[] } };
}

const storedRows = async (registrationId: number) =>
  (
    await database.db.query<{ n: number; chunks: number }>(
      `SELECT count(DISTINCT u.id)::int AS n, count(c.upload_id)::int AS chunks
         FROM attachment_uploads u LEFT JOIN attachment_chunks c ON c.upload_id = u.id WHERE u.registration_id = $1`,
      [registrationId],
    )
  ).rows[0];

beforeAll(async () => {
  database = await createTestDatabase();
  [node1, node2] = await Promise.all([startTestServer({ database, config }), startTestServer({ database, config })]);
  w = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 0 });
  await database.db.query(`UPDATE sittings SET aids = aids || '{"attachments": ["image", "pdf", "ggb"]}'::jsonb WHERE id = $1`, [w.sittingId]);
}, 60_000);
afterAll(async () => {
  await Promise.all([node1?.closeAll(), node2?.closeAll()]);
  await database?.drop();
});

describe('resumable uploads', () => {
  it('a chunked upload cut mid-way on node 1 resumes on node 2 from the offset the server reports, and the stored SHA-256 equals the original', async () => {
    const p = await pupil();
    const file = ggb(3 * MB);
    const created = await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'C:\\fakepath\\trekant.ggb', size: file.length });
    expect(created.status).toBe(201);
    const path = created.headers.get('location')!;
    expect(path).toMatch(/^\/api\/attachments\/uploads\/[0-9a-f]{32}$/);

    // Chunk 1 arrives whole; chunk 2 breaks after about half of its bytes.
    const first = await patchUpload(node1.url + path, p.cookie, 0, file.subarray(0, MB));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(MB));
    await expect(patchUpload(node1.url + path, p.cookie, MB, breakingBody(file.subarray(MB, MB + 700 * 1024)))).rejects.toThrow();

    // The offset settles at what node 1 stored of the broken chunk; node 2 reports the same, from PostgreSQL.
    let last = -1;
    const offset = await until(
      async () => {
        const { offset: o } = await uploadOffset(node2.url + path, p.cookie);
        const settled = o === last ? o : null;
        last = o ?? -1;
        return settled;
      },
      { what: 'a settled Upload-Offset', intervalMs: 200 },
    );
    expect(offset).toBeGreaterThan(MB);
    expect(offset).toBeLessThan(file.length);
    expect((await list(node1.url, p.cookie, p.registrationId)).body.attachments).toEqual([]);

    const rest = await patchUpload(node2.url + path, p.cookie, offset, file.subarray(offset));
    expect(rest.status).toBe(204);
    expect(rest.headers.get('upload-offset')).toBe(String(file.length));
    expect(rest.headers.get('attachment-sha256')).toBe(sha256(file));

    const listed = await list(node1.url, p.cookie, p.registrationId);
    expect(listed.body.attachments).toEqual([{ id: path.split('/').pop(), name: 'trekant.ggb', size: file.length, type: 'ggb', sha256: sha256(file) }]);

    const download = await fetch(`${node2.url}/api/attachments/files/${listed.body.attachments[0].id}`, { headers: { cookie: p.cookie } });
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(file));
  }, 30_000);

  it('a resume from a stale offset is refused with 409 and adds no bytes', async () => {
    const p = await pupil();
    const file = pdf();
    const path = (await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'a.pdf', size: file.length })).headers.get('location')!;
    expect((await patchUpload(node1.url + path, p.cookie, 0, file.subarray(0, 20))).status).toBe(204);
    expect((await patchUpload(node2.url + path, p.cookie, 0, file.subarray(0, 20))).status).toBe(409);
    expect((await uploadOffset(node2.url + path, p.cookie)).offset).toBe(20);
  });
});
