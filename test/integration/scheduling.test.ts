import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildSchool, buildRoom, buildUser, buildWorld, sessionCookie } from '../support/factories.ts';
import { openLiveSocket } from '../support/liveSocket.ts';
import { until } from '../support/poll.ts';
import { createTestApp, startTestServer, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
const cookies: Record<string, string> = {};
const PDF = Buffer.from('%PDF-1.4\n% Prøvesal test paper\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: '/tmp/provesal-test-data' } });
  world = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 1 });
  for (const [k, u] of Object.entries({
    ministry: world.ministry,
    admin: world.schoolAdmin,
    invigilator: world.invigilatorA,
    grader: world.grader,
    candidate: world.candidates[0],
  })) {
    cookies[k] = await sessionCookie(t.deps.db, u);
  }
});
afterAll(async () => {
  await t.close();
});

const future = () => {
  const d = new Date(Date.now() + 7 * 86_400_000);
  return d.toISOString().slice(0, 10);
};

describe('scheduling sittings', () => {
  it('the ministry creates a sitting from Copenhagen local time, stored as UTC', async () => {
    const res = await t.request('/api/sittings', {
      method: 'POST',
      cookie: cookies.ministry,
      json: {
        subject: 'Matematik – problemløsning',
        level: 9,
        startDate: '2030-05-07',
        startTime: '09:00',
        durationMinutes: 180,
        schoolIds: [world.schoolId],
      },
    });
    expect(res.status).toBe(201);
    const s = await res.json();
    expect(s.startsAt).toBe('2030-05-07T07:00:00.000Z');
    expect(s.startTime).toBe('09:00');
    expect(s.schoolIds).toEqual([world.schoolId]);
  });

  it('refuses a start time that does not exist on the spring-forward day', async () => {
    const res = await t.request('/api/sittings', {
      method: 'POST',
      cookie: cookies.ministry,
      json: {
        subject: 'Engelsk',
        level: 9,
        startDate: '2030-03-31',
        startTime: '02:30',
        durationMinutes: 120,
      },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.type).toBe('urn:provesal:problem:start-time-nonexistent');
    expect(body.detail).toContain('findes ikke');
  });

  it('refuses scheduling to every role but the ministry', async () => {
    for (const who of ['admin', 'invigilator', 'grader', 'candidate']) {
      const res = await t.request('/api/sittings', {
        method: 'POST',
        cookie: cookies[who],
        json: {
          subject: 'X',
          level: 9,
          startDate: future(),
          startTime: '09:00',
          durationMinutes: 60,
        },
      });
      expect(res.status, who).toBe(403);
    }
  });

  it('refuses to edit or cancel a sitting after its start', async () => {
    const started = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() - 60_000), candidates: 0 });
    const edit = await t.request(`/api/sittings/${started.sittingId}`, { method: 'PATCH', cookie: cookies.ministry, json: { durationMinutes: 300 } });
    expect(edit.status).toBe(409);
    expect((await edit.json()).type).toBe('urn:provesal:problem:sitting-started');
    const cancel = await t.request(`/api/sittings/${started.sittingId}/cancel`, {
      method: 'POST',
      cookie: cookies.ministry,
      json: { reason: 'Forkert dato' },
    });
    expect(cancel.status).toBe(409);
  });

  it('edits a sitting before its start, audited', async () => {
    const other = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 0 });
    const res = await t.request(`/api/sittings/${other.sittingId}`, {
      method: 'PATCH',
      cookie: cookies.ministry,
      json: { durationMinutes: 200, startDate: future(), startTime: '10:00' },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).durationMinutes).toBe(200);
    const { rows } = await t.deps.db.query("SELECT 1 FROM audit_events WHERE action = 'sitting.updated' AND subject_id = $1", [String(other.sittingId)]);
    expect(rows).toHaveLength(1);
  });
});

describe('the sealed question paper', () => {
  it('is stored encrypted, not as plain bytes', async () => {
    const up = await t.request(`/api/sittings/${world.sittingId}/paper`, {
      method: 'PUT',
      cookie: cookies.ministry,
      body: PDF,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(up.status).toBe(200);
    const { rows } = await t.deps.db.query('SELECT ciphertext FROM question_papers WHERE sitting_id = $1', [world.sittingId]);
    expect(rows[0].ciphertext.includes(Buffer.from('Prøvesal test paper'))).toBe(false);
  });

  it('refuses a file that is not a PDF', async () => {
    const res = await t.request(`/api/sittings/${world.sittingId}/paper`, {
      method: 'PUT',
      cookie: cookies.ministry,
      body: 'hello',
      headers: { 'content-type': 'application/pdf' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).type).toBe('urn:provesal:problem:not-a-pdf');
  });

  it('before the start: every role refused (403 paper-sealed) except the ministry', async () => {
    for (const who of ['admin', 'invigilator', 'grader', 'candidate']) {
      const res = await t.request(`/api/sittings/${world.sittingId}/paper`, { cookie: cookies[who] });
      expect(res.status, who).toBe(403);
      expect((await res.json()).type).toBe('urn:provesal:problem:paper-sealed');
    }
    const ministry = await t.request(`/api/sittings/${world.sittingId}/paper`, { cookie: cookies.ministry });
    expect(ministry.status).toBe(200);
    expect(Buffer.from(await ministry.arrayBuffer())).toEqual(PDF);
  });

  it("from the start: the sitting's candidates and staff read it, others get 404", async () => {
    const { rows } = await t.deps.db.query('SELECT starts_at FROM sittings WHERE id = $1', [world.sittingId]);
    t.setNow(new Date(rows[0].starts_at.getTime()));
    try {
      for (const who of ['admin', 'invigilator', 'grader', 'candidate']) {
        const res = await t.request(`/api/sittings/${world.sittingId}/paper`, { cookie: cookies[who] });
        expect(res.status, who).toBe(200);
        expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
      }
      const otherSchool = await buildSchool(t.deps.db);
      const stranger = await buildCandidate(t.deps.db, {
        schoolId: otherSchool,
        sittingId: (await buildWorld(t.deps.db, { candidates: 0 })).sittingId,
        roomId: await buildRoom(t.deps.db, otherSchool),
      });
      const otherGrader = await buildUser(t.deps.db, 'grader');
      for (const u of [stranger, otherGrader]) {
        const res = await t.request(`/api/sittings/${world.sittingId}/paper`, { cookie: await sessionCookie(t.deps.db, u) });
        expect(res.status).toBe(404);
      }
      const { rows: audit } = await t.deps.db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'paper.released' AND subject_id = $1", [
        String(world.sittingId),
      ]);
      expect(audit[0].n).toBe(1);
    } finally {
      t.setNow(null);
    }
  });

  it('serves rich text as ProseMirror JSON and reports what exists', async () => {
    const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Skriv om årstiderne.' }] }] };
    const up = await t.request(`/api/sittings/${world.sittingId}/paper/text`, { method: 'PUT', cookie: cookies.ministry, json: { doc } });
    expect(up.status).toBe(200);
    expect(await (await t.request(`/api/sittings/${world.sittingId}/paper/info`, { cookie: cookies.ministry })).json()).toEqual({ pdf: true, text: true });
    expect(await (await t.request(`/api/sittings/${world.sittingId}/paper/text`, { cookie: cookies.ministry })).json()).toEqual({ doc });
  });
});

describe('the national live view', () => {
  it('pushes per-school counts to the ministry as candidates connect, and refuses other roles', async () => {
    const server = await startTestServer();
    try {
      const w2 = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), candidates: 2 });
      const national = openLiveSocket(`${server.url}/ws/national/${w2.sittingId}`, await sessionCookie(server.deps.db, w2.ministry));
      const pushed = (what: string, pred: (total: Record<string, number>) => boolean) =>
        until(() => national.messages.find((m) => pred(m.total!)), { what, detail: () => national.messages.at(-1) });
      expect((await pushed('first counts', () => true)).total).toMatchObject({ registered: 2, writing: 0 });
      const c = w2.candidates[0];
      const client = new AnswerClient(server.url, c.registrationId, await sessionCookie(server.deps.db, c));
      expect((await pushed('one writing', (total) => total.writing === 1)).schools![0]).toMatchObject({ registered: 2, writing: 1, disconnected: 0 });
      client.destroy();
      expect((await pushed('one disconnected', (total) => total.disconnected === 1)).total).toMatchObject({ writing: 1, disconnected: 1 });
      national.ws.close();
      const refused = openLiveSocket(`${server.url}/ws/national/${w2.sittingId}`, await sessionCookie(server.deps.db, w2.grader));
      expect(await refused.closed).toBe(4403);
    } finally {
      await server.closeAll();
    }
  });
});
