import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { answerPlainText } from '../../src/protocol/answerDocument.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: AnswerClient[] = [];
const client = (...args: ConstructorParameters<typeof AnswerClient>) => {
  const c = new AnswerClient(...args);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startTestServer({ config: { ANSWER_GRACE_SECONDS: '1' } });
  world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: 3 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.closeAll();
});

const storedText = (registrationId: number) => storedAnswerText(server.deps.db, registrationId);
const session = (user: { id: number }) => sessionCookie(server.deps.db, user);

/** A candidate whose exam ends `endsInMs` from now (window edges need real time: the server is a real process). */
async function candidateEndingIn(endsInMs: number) {
  const { rows } = await server.deps.db.query<{ id: number }>(
    `INSERT INTO sittings (subject, level, starts_at, duration_minutes) VALUES ('Kort prøve', 9, $1, 1) RETURNING id`,
    [new Date(Date.now() + endsInMs - 60_000)],
  );
  return buildCandidate(server.deps.db, { schoolId: world.schoolId, sittingId: rows[0].id, roomId: world.roomA });
}

describe('the answer websocket', () => {
  it('syncs typing and acknowledges it only once it is stored in PostgreSQL', async () => {
    const cand = world.candidates[0];
    const cookie = await session(cand);
    const c = client(server.url, cand.registrationId, cookie);
    await c.waitSynced();
    c.type('Første afsnit om æbler, øl og ål.');
    await c.waitSaved();
    expect(await storedText(cand.registrationId)).toBe('Første afsnit om æbler, øl og ål.');
    expect(c.controls[0]).toMatchObject({ type: 'window', phase: 'writing' });
    const { rows } = await server.deps.db.query('SELECT state FROM registrations WHERE id = $1', [cand.registrationId]);
    expect(rows[0].state).toBe('writing');
  });

  it('refuses a socket without a session (4401)', async () => {
    const c = client(server.url, world.candidates[0].registrationId, 'provesal_session=nope');
    await c.waitClosed(4401);
  });

  it("refuses another candidate's document without revealing it exists (4404)", async () => {
    const [a, b] = world.candidates;
    const cookie = await session(a);
    const c = client(server.url, b.registrationId, cookie);
    await c.waitClosed(4404);
    const unknown = client(server.url, 999_999, cookie);
    await unknown.waitClosed(4404);
  });

  it('refuses staff on the answer socket (4403)', async () => {
    const cookie = await session(world.invigilatorA);
    const c = client(server.url, world.candidates[0].registrationId, cookie);
    await c.waitClosed(4403);
  });

  it('refuses the socket before the start (4425)', async () => {
    const { rows } = await server.deps.db.query<{ id: number }>(
      `INSERT INTO sittings (subject, level, starts_at, duration_minutes) VALUES ('Senere', 9, now() + interval '1 hour', 60) RETURNING id`,
    );
    const cand = await buildCandidate(server.deps.db, { schoolId: world.schoolId, sittingId: rows[0].id, roomId: world.roomA });
    const c = client(server.url, cand.registrationId, await session(cand));
    await c.waitClosed(4425);
  });

  it('refuses an update after the end plus grace, tells the client, and stores nothing of it', async () => {
    const cand = await candidateEndingIn(1_500);
    const c = client(server.url, cand.registrationId, await session(cand));
    await c.waitSynced();
    c.type('Inden tid.');
    await c.waitSaved();
    // The automatic hand-in sweep takes only lobby/writing registrations: back to 'registered' it cannot hand in
    // first and close the socket itself, so the refusal below is the socket's own window check.
    await server.deps.db.query("UPDATE registrations SET state = 'registered' WHERE id = $1", [cand.registrationId]);
    const window = c.controls.find((x) => x.type === 'window') as { endsAt: string; graceSeconds: number };
    const refusedFrom = new Date(window.endsAt).getTime() + window.graceSeconds * 1000;
    await until(() => Date.now() > refusedFrom, { what: 'the end plus grace', timeoutMs: 10_000 });
    c.type('For sent!');
    await c.waitClosed(4410);
    expect(c.controls.filter((x) => x.type === 'notice' || x.type === 'handed_in')).toEqual([
      expect.objectContaining({ type: 'notice', en: 'Time is up. Changes after the end are not saved.' }),
    ]);
    expect(await storedText(cand.registrationId)).toBe('Inden tid.');
  });

  it('hands in automatically at the end for a candidate who is offline', async () => {
    const cand = await candidateEndingIn(2_000);
    const c = client(server.url, cand.registrationId, await session(cand));
    await c.waitSynced();
    c.type('Skrevet før nettet forsvandt.');
    await c.waitSaved();
    c.destroy(); // offline from here on
    const row = await until(
      async () =>
        (
          await server.deps.db.query(
            `SELECT s.handed_in_by, s.plain_text, s.text_sha256, r.state, j.state AS job
         FROM submissions s JOIN registrations r ON r.id = s.registration_id JOIN pdf_jobs j ON j.submission_id = s.id
        WHERE s.registration_id = $1`,
            [cand.registrationId],
          )
        ).rows[0],
      { what: 'the automatic hand-in', timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(row).toMatchObject({ handed_in_by: 'auto', plain_text: 'Skrevet før nettet forsvandt.', state: 'handed_in' });
    expect(row.text_sha256).toBe(createHash('sha256').update('Skrevet før nettet forsvandt.').digest('hex'));
  }, 30_000);

  it("hands in with a receipt whose hash is the stored answer's, freezes the document and is idempotent", async () => {
    const cand = world.candidates[1];
    const cookie = await session(cand);
    const c = client(server.url, cand.registrationId, cookie);
    await c.waitSynced();
    c.type('Min besvarelse.');
    c.type('Andet afsnit med ø.');
    await c.waitSaved();
    const res = await postJson(server.url, `/api/exam/registrations/${cand.registrationId}/hand-in`, cookie, { confirm: true });
    expect(res.status).toBe(200);
    const receipt = await res.json();
    expect(receipt.sha256).toBe(createHash('sha256').update('Min besvarelse.\nAndet afsnit med ø.').digest('hex'));
    expect(receipt.examNumber).toBe(cand.examNumber);
    await c.waitClosed(4410);
    // The open socket is told of the hand-in with the same receipt the HTTP answer gave.
    expect(c.controls.find((x) => x.type === 'handed_in')).toMatchObject({ receipt: { receiptCode: receipt.receiptCode, sha256: receipt.sha256 } });
    const again = await postJson(server.url, `/api/exam/registrations/${cand.registrationId}/hand-in`, cookie, { confirm: true });
    expect((await again.json()).receiptCode).toBe(receipt.receiptCode);
    const reopen = client(server.url, cand.registrationId, cookie);
    await reopen.waitClosed(4410);
    const { rows } = await server.deps.db.query(
      'SELECT count(*)::int AS n FROM pdf_jobs j JOIN submissions s ON s.id = j.submission_id WHERE s.registration_id = $1',
      [cand.registrationId],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses a hand-in without the confirmation', async () => {
    const cand = world.candidates[2];
    const cookie = await session(cand);
    const res = await postJson(server.url, `/api/exam/registrations/${cand.registrationId}/hand-in`, cookie, {});
    expect(res.status).toBe(400);
    expect((await res.json()).type).toBe('urn:provesal:problem:validation-failed');
  });
});

describe('bad input on the answer socket', () => {
  async function rawSocket(cand: { id: number; registrationId: number }) {
    const cookie = await session(cand);
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/answer/${cand.registrationId}`, { headers: { cookie } });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((r) => ws.once('message', r)); // the server's sync step 1: set-up is done
    return { ws, closed };
  }

  it('closes 4400 on an unknown message type and on an invalid Yjs update, keeping the stored answer intact', async () => {
    const cand = await buildCandidate(server.deps.db, { schoolId: world.schoolId, sittingId: world.sittingId, roomId: world.roomA });
    const c = client(server.url, cand.registrationId, await session(cand));
    await c.waitSynced();
    c.type('Gemt tekst.');
    await c.waitSaved();

    const a = await rawSocket(cand);
    a.ws.send(new Uint8Array([77, 1, 2, 3]));
    expect((await a.closed).code).toBe(4400);

    const b = await rawSocket(cand);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 255, 255, 1, 9, 9, 9, 9]));
    b.ws.send(encoding.toUint8Array(e));
    expect((await b.closed).code).toBe(4400);
    expect(await storedText(cand.registrationId)).toBe('Gemt tekst.');
  });

  it('closes 4413 on a message over the documented limit', async () => {
    const cand = await buildCandidate(server.deps.db, { schoolId: world.schoolId, sittingId: world.sittingId, roomId: world.roomA });
    const a = await rawSocket(cand);
    a.ws.send(new Uint8Array(600 * 1024));
    expect((await a.closed).code).toBe(4413);
  });
});

describe('two devices', () => {
  it("the newest device takes over and both devices' edits survive, including those typed offline", async () => {
    const cand = await buildCandidate(server.deps.db, { schoolId: world.schoolId, sittingId: world.sittingId, roomId: world.roomA });
    const cookie = await session(cand);
    const laptop = client(server.url, cand.registrationId, cookie);
    await laptop.waitSynced();
    laptop.type('Fra den bærbare.');
    await laptop.waitSaved();

    // The tablet starts offline with its own edits (as IndexedDB would have kept them), then connects.
    const tabletDoc = new Y.Doc();
    const tablet = client(server.url, cand.registrationId, cookie, tabletDoc, { connect: false });
    tablet.type('Skrevet offline på tablet.');
    tablet.provider.connect();
    await laptop.waitClosed(4409);
    expect(laptop.controls.some((x) => x.type === 'replaced')).toBe(true);
    await tablet.waitSaved();
    const stored = await storedText(cand.registrationId);
    expect(stored).toContain('Fra den bærbare.');
    expect(stored).toContain('Skrevet offline på tablet.');
    expect(answerPlainText(tablet.doc)).toBe(stored);
  });
});
