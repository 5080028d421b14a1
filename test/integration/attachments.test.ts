import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildCandidate, buildUser, buildWorld, sessionCookie } from '../support/factories.ts';
import { ggb, pdf, png } from '../support/attachmentFiles.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';
import { Upload } from 'tus-js-client';
import { breakingBody, createUpload, endlessBody, listAttachments as list, patchUpload, problem, uploadOffset } from '../support/tusClient.ts';

/** Attachments over tus on two app nodes sharing one PostgreSQL (docs/rules.md §15): resume, hash, every refusal. */
const MB = 1024 * 1024;
const config = { ATTACHMENT_MAX_FILE_BYTES: String(4 * MB), ATTACHMENT_QUOTA_BYTES: String(6 * MB), ATTACHMENT_MAX_FILES: '3' };
let database: TestDatabase;
let node1: Awaited<ReturnType<typeof startTestServer>>;
let node2: Awaited<ReturnType<typeof startTestServer>>;
let w: Awaited<ReturnType<typeof buildWorld>>;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A pupil of the world's sitting (which allows images, PDF and GeoGebra) with a session. */
async function pupil() {
  const c = await buildCandidate(database.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
  return { ...c, cookie: await sessionCookie(database.db, c) };
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

describe('with tus-js-client, the client the browser will use', () => {
  it('uploads in chunks to node 1, is stopped part-way, and finishes on node 2 from where the server says it stood', async () => {
    const p = await pupil();
    const file = png(1_500_000);
    const options = (base: string) => ({
      endpoint: `${base}/api/attachments/uploads`,
      headers: { cookie: p.cookie, origin: base },
      metadata: { registrationId: String(p.registrationId), filename: 'tegning.png', filetype: 'image/png' },
      chunkSize: 256 * 1024,
      retryDelays: null,
    });
    const first = new Upload(file, options(node1.url));
    await new Promise<void>((resolve, reject) => {
      first.options.onError = reject;
      first.options.onChunkComplete = (_chunk, accepted) => {
        if (accepted >= 512 * 1024) void first.abort().then(resolve);
      };
      first.start();
    });
    const path = new URL(first.url!).pathname;
    const stood = (await uploadOffset(node2.url + path, p.cookie)).offset!;
    expect(stood).toBeGreaterThanOrEqual(512 * 1024);
    expect(stood).toBeLessThan(file.length);

    const sent: number[] = [];
    const second = new Upload(file, { ...options(node2.url), uploadUrl: node2.url + path });
    const hash = await new Promise<string | undefined>((resolve, reject) => {
      second.options.onError = reject;
      second.options.onChunkComplete = (chunk) => sent.push(chunk);
      second.options.onSuccess = ({ lastResponse }) => resolve(lastResponse.getHeader('attachment-sha256'));
      second.start();
    });
    expect(hash).toBe(sha256(file));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(file.length - stood);
    expect((await list(node1.url, p.cookie, p.registrationId)).body.attachments.map((a) => [a.name, a.type, a.sha256])).toEqual([
      ['tegning.png', 'image', sha256(file)],
    ]);
  }, 30_000);
});

describe('refusals', () => {
  it('refuses a file over the limit with 413 and a Danish message at creation, before its body is read', async () => {
    const p = await pupil();
    const res = await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'stor.pdf', size: 4 * MB + 1 }, pdf());
    expect(await problem(res)).toMatchObject({
      status: 413,
      contentType: 'application/problem+json; charset=utf-8',
      type: 'urn:provesal:problem:attachment-too-large',
      detail: 'Filen er for stor. En fil må højst fylde 4 MB.',
    });
    expect(await storedRows(p.registrationId)).toEqual({ n: 0, chunks: 0 });

    // The same with a body that never ends: the answer comes while the body is still open.
    const early = await createUpload(node2.url, p.cookie, { registrationId: p.registrationId, filename: 'stor.pdf', size: 50 * MB }, endlessBody());
    expect(early.status).toBe(413);
    expect(await storedRows(p.registrationId)).toEqual({ n: 0, chunks: 0 });
  });

  it('refuses a type the profile does not allow with 415', async () => {
    const p = await pupil();
    const res = await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'opgave.docx', size: 100 });
    expect(await problem(res)).toMatchObject({ status: 415, type: 'urn:provesal:problem:attachment-type-not-allowed' });
  });

  it('refuses every file with 415 in a sitting whose profile allows no attachments', async () => {
    const other = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), candidates: 1 });
    const c = other.candidates[0];
    const res = await createUpload(node1.url, await sessionCookie(database.db, c), { registrationId: c.registrationId, filename: 'a.pdf', size: 100 });
    expect(await problem(res)).toMatchObject({ status: 415, type: 'urn:provesal:problem:attachments-not-allowed' });
  });

  it.each([
    ['PDF bytes named .ggb', 'graf.ggb', pdf(), 'pdf'],
    ['HTML named .png', 'foto.png', Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), null],
  ])('refuses %s once the bytes are in, and keeps nothing of it', async (_what, filename, bytes, found) => {
    const p = await pupil();
    const path = (await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename, size: bytes.length })).headers.get('location')!;
    const res = await patchUpload(node2.url + path, p.cookie, 0, bytes);
    expect(await problem(res)).toMatchObject({ status: 415, type: 'urn:provesal:problem:attachment-content-mismatch', found });
    expect(await storedRows(p.registrationId)).toEqual({ n: 0, chunks: 0 });
    expect((await uploadOffset(node1.url + path, p.cookie)).status).toBe(404);
  });

  it('enforces the number of files and the per-pupil quota, counting uploads still arriving', async () => {
    const p = await pupil();
    const start = (size: number) => createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'x.png', size });
    expect((await start(3 * MB)).status).toBe(201);
    expect(await problem(await start(3 * MB + 1))).toMatchObject({ status: 413, type: 'urn:provesal:problem:attachment-quota-exceeded' });
    expect((await start(3 * MB)).status).toBe(201);
    expect((await start(1)).status).toBe(413);
    await database.db.query('UPDATE attachment_uploads SET size = 1, upload_offset = 0 WHERE registration_id = $1', [p.registrationId]);
    expect((await start(1)).status).toBe(201);
    expect(await problem(await start(1))).toMatchObject({ status: 409, type: 'urn:provesal:problem:attachment-count-exceeded' });
  });

  it('refuses the rest of an upload after the window closed, deletes what was half-stored and never lists it', async () => {
    const p = await pupil();
    const file = png(200_000);
    const path = (await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'foto.png', size: file.length })).headers.get(
      'location',
    )!;
    expect((await patchUpload(node1.url + path, p.cookie, 0, file.subarray(0, 100_000))).status).toBe(204);
    expect((await list(node2.url, p.cookie, p.registrationId)).body.attachments).toEqual([]);

    await database.db.query("UPDATE registrations SET ended_at = now() - interval '1 minute' WHERE id = $1", [p.registrationId]);
    const res = await patchUpload(node2.url + path, p.cookie, 100_000, file.subarray(100_000));
    expect(await problem(res)).toMatchObject({ status: 409, type: 'urn:provesal:problem:attachment-window-closed' });
    expect(await storedRows(p.registrationId)).toEqual({ n: 0, chunks: 0 });
    const again = await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'b.png', size: 10 });
    expect(await problem(again)).toMatchObject({ status: 409, type: 'urn:provesal:problem:attachment-window-closed' });
  });

  it('refuses a new upload after hand-in', async () => {
    const p = await pupil();
    await database.db.query("UPDATE registrations SET state = 'handed_in', handed_in_at = now() WHERE id = $1", [p.registrationId]);
    const res = await createUpload(node2.url, p.cookie, { registrationId: p.registrationId, filename: 'a.pdf', size: 10 });
    expect(await problem(res)).toMatchObject({ status: 409, type: 'urn:provesal:problem:attachment-window-closed' });
  });

  it('lets only the owning pupil create, resume or read an upload, and staff of the sitting download it as an attachment', async () => {
    const owner = await pupil();
    const other = await pupil();
    const file = pdf();
    const mine = { registrationId: owner.registrationId, filename: 'svar.pdf', size: file.length };
    expect((await createUpload(node1.url, other.cookie, mine)).status).toBe(404);
    expect((await createUpload(node1.url, '', mine)).status).toBe(401);
    expect((await createUpload(node1.url, await sessionCookie(database.db, w.grader), mine)).status).toBe(403);

    const path = (await createUpload(node1.url, owner.cookie, mine)).headers.get('location')!;
    expect((await uploadOffset(node1.url + path, other.cookie)).status).toBe(404);
    expect((await patchUpload(node1.url + path, other.cookie, 0, file)).status).toBe(404);
    expect((await uploadOffset(node1.url + path, owner.cookie)).offset).toBe(0);
    expect((await patchUpload(node1.url + path, owner.cookie, 0, file)).status).toBe(204);

    expect((await list(node1.url, other.cookie, owner.registrationId)).status).toBe(404);
    const id = path.split('/').pop()!;
    const get = async (cookie: string) => fetch(`${node2.url}/api/attachments/files/${id}`, { headers: { cookie } });
    expect((await get(other.cookie)).status).toBe(404);
    expect((await get(await sessionCookie(database.db, await buildUser(database.db, 'grader')))).status).toBe(404);
    expect((await get(await sessionCookie(database.db, w.ministry))).status).toBe(404);

    const res = await get(await sessionCookie(database.db, w.grader));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="svar.pdf"; filename*=UTF-8''svar.pdf`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(file)).toBe(true);
  });
});
