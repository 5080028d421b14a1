import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENTS_MAP, type AttachmentEntry } from '../../src/protocol/attachments.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { ggb, png } from '../support/attachmentFiles.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { startTestServer } from '../support/testApp.ts';
import { createUpload, patchUpload } from '../support/tusClient.ts';

/** The list of finished attachments lives in the answer document, written by the server (docs/rules.md §15.10). */
const MB = 1024 * 1024;
let database: TestDatabase;
let node1: Awaited<ReturnType<typeof startTestServer>>;
let node2: Awaited<ReturnType<typeof startTestServer>>;
let w: Awaited<ReturnType<typeof buildWorld>>;
const clients: AnswerClient[] = [];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function pupil() {
  const c = await buildCandidate(database.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
  return { ...c, cookie: await sessionCookie(database.db, c) };
}

async function upload(base: string, p: Awaited<ReturnType<typeof pupil>>, filename: string, file: Buffer): Promise<string> {
  const path = (await createUpload(base, p.cookie, { registrationId: p.registrationId, filename, size: file.length })).headers.get('location')!;
  const res = await patchUpload(base + path, p.cookie, 0, file);
  expect(res.status).toBe(204);
  return path.split('/').pop()!;
}

const client = (base: string, p: Awaited<ReturnType<typeof pupil>>) => {
  const c = new AnswerClient(base, p.registrationId, p.cookie);
  clients.push(c);
  return c;
};
const entries = (c: AnswerClient) => Object.fromEntries(c.doc.getMap<AttachmentEntry>(ATTACHMENTS_MAP).entries());

beforeAll(async () => {
  database = await createTestDatabase();
  // One Redis between the nodes, as in production; a channel prefix of its own, since other runs may share it.
  const config = {
    ATTACHMENT_MAX_FILE_BYTES: String(4 * MB),
    ATTACHMENT_MAX_FILES: '4',
    REDIS_URL: process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379',
    REDIS_CHANNEL_PREFIX: `t${randomBytes(4).toString('hex')}:`,
  };
  [node1, node2] = await Promise.all([startTestServer({ database, config }), startTestServer({ database, config })]);
  w = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 0 });
  await database.db.query(`UPDATE sittings SET aids = aids || '{"attachments": ["image", "ggb"]}'::jsonb WHERE id = $1`, [w.sittingId]);
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([node1?.closeAll(), node2?.closeAll()]);
  await database?.drop();
});

describe('the attachment list in the answer document', () => {
  it('an upload finished on node 1 reaches a device connected to node 2 with the SHA-256 the server computed', async () => {
    const p = await pupil();
    const device = client(node2.url, p);
    await device.waitSynced();
    device.type('Se vedhæftet fil.');
    await device.waitSaved();

    const file = ggb(300_000);
    const id = await upload(node1.url, p, 'trekant.ggb', file);
    await device.waitFor(() => id in entries(device), 'the entry on the connected device');
    expect(entries(device)[id]).toEqual({ name: 'trekant.ggb', size: file.length, sha256: sha256(file), type: 'ggb' });

    // The entry is stored in the answer's log: a device connecting later, on a node where the answer is not live, loads it.
    const later = client(node1.url, p);
    await later.waitSynced();
    expect(entries(later)[id]?.sha256).toBe(sha256(file));
    expect(later.text.toString()).toContain('Se vedhæftet fil.');
  }, 30_000);

  it('a device on the node that finished the upload sees it too, and a refused upload writes nothing', async () => {
    const p = await pupil();
    const device = client(node1.url, p);
    await device.waitSynced();
    const file = png(50_000);
    const id = await upload(node1.url, p, 'foto.png', file);
    await device.waitFor(() => id in entries(device), 'the entry on the same node');
    expect(entries(device)[id].sha256).toBe(sha256(file));

    const bad = Buffer.from('%PDF-1.4\n%%EOF\n');
    const path = (await createUpload(node1.url, p.cookie, { registrationId: p.registrationId, filename: 'x.ggb', size: bad.length })).headers.get('location')!;
    expect((await patchUpload(node1.url + path, p.cookie, 0, bad)).status).toBe(415);
    const { rows } = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE registration_id = $1', [p.registrationId]);
    const reloaded = client(node2.url, p);
    await reloaded.waitSynced();
    expect(Object.keys(entries(reloaded))).toEqual([id]);
    expect(rows[0].n).toBeGreaterThan(0);
  }, 30_000);

  it('a finished attachment removed before hand-in leaves the list on every device; after hand-in it cannot be removed', async () => {
    const p = await pupil();
    const device = client(node2.url, p);
    await device.waitSynced();
    const kept = await upload(node1.url, p, 'beholdes.ggb', ggb(20_000));
    const gone = await upload(node1.url, p, 'fjernes.png', png(20_000));
    await device.waitFor(() => kept in entries(device) && gone in entries(device), 'both entries');

    const del = (id: string) =>
      fetch(`${node1.url}/api/attachments/uploads/${id}`, { method: 'DELETE', headers: { cookie: p.cookie, origin: node1.url, 'tus-resumable': '1.0.0' } });
    expect((await del(gone)).status).toBe(204);
    await device.waitFor(() => !(gone in entries(device)), 'the removed entry gone from the connected device');
    expect(Object.keys(entries(device))).toEqual([kept]);
    expect((await fetch(`${node2.url}/api/attachments/files/${gone}`, { headers: { cookie: p.cookie } })).status).toBe(404);

    device.destroy();
    const handIn = await fetch(`${node1.url}/api/exam/registrations/${p.registrationId}/hand-in`, {
      method: 'POST',
      headers: { cookie: p.cookie, origin: node1.url, 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: true }),
    });
    expect(handIn.status).toBe(200);
    const refused = await del(kept);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { type: string }).type).toBe('urn:provesal:problem:attachment-window-closed');
    const { rows } = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachment_uploads WHERE id = $1', [kept]);
    expect(rows[0].n).toBe(1);
  }, 30_000);

  it('the exam view tells the pupil the allowed kinds and the limits', async () => {
    const p = await pupil();
    const res = await fetch(`${node1.url}/api/exam/sittings`, { headers: { cookie: p.cookie } });
    const { sittings: body } = (await res.json()) as { sittings: { aids: { attachments: string[] }; attachmentLimits: unknown }[] };
    expect(body[0].aids.attachments).toEqual(['image', 'ggb']);
    expect(body[0].attachmentLimits).toEqual({ maxFiles: 4, maxFileBytes: 4 * MB });
  });
});
