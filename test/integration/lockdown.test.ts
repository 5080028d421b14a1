import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configKey, configKeyHash, parseSebPlist } from '../../src/lockdown/configKey.ts';
import { MessageType } from '../../src/protocol/messageTypes.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { openLiveSocket } from '../support/liveSocket.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
let w: Awaited<ReturnType<typeof buildWorld>>;
let key: string;
let cand: { id: number; registrationId: number };
let cookie: string;

beforeAll(async () => {
  server = await startTestServer();
  w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 2 });
  await server.deps.db.query("UPDATE sittings SET lockdown_profile = 'seb_required' WHERE id = $1", [w.sittingId]);
  cand = w.candidates[0];
  cookie = await sessionCookie(server.deps.db, cand);
  // The .seb file as a school admin downloads it: a property list whose Config Key the server then enforces.
  const admin = await sessionCookie(server.deps.db, w.schoolAdmin);
  const res = await fetch(`${server.url}/api/lockdown/sittings/${w.sittingId}/config.seb`, { headers: { cookie: admin } });
  expect(res.headers.get('content-type')).toContain('application/seb');
  const xml = await res.text();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'seb-')), 'exam.seb');
  writeFileSync(file, xml);
  const parsed = execFileSync('python3', [
    '-c',
    'import plistlib,sys; d=plistlib.load(open(sys.argv[1],"rb")); print(d["startURL"], d["sendBrowserExamKey"])',
    file,
  ])
    .toString()
    .trim();
  expect(parsed).toBe(`${server.url}/?sitting=${w.sittingId} True`);
  key = configKey(parseSebPlist(xml));
});
afterAll(async () => {
  await server.closeAll();
});

const examUrl = () => `${server.url}/api/exam/registrations/${cand.registrationId}`;
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers: { cookie, ...headers } });

describe('Safe Exam Browser verification on an SEB-required sitting', () => {
  it('accepts a request whose Config Key hash is right for exactly that URL', async () => {
    const res = await get(examUrl(), { 'x-safeexambrowser-configkeyhash': configKeyHash(examUrl(), key) });
    expect(res.status).toBe(200);
  });

  it('the key a school downloads is the key the server enforces (staff see it too)', async () => {
    const inv = await sessionCookie(server.deps.db, w.invigilatorA);
    const res = await (await fetch(`${server.url}/api/lockdown/sittings/${w.sittingId}/config-key`, { headers: { cookie: inv } })).json();
    expect(res.configKey).toBe(key);
    expect(res.configKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a request without the header, with a wrong hash, or with the hash of another URL', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-safeexambrowser-configkeyhash': 'f'.repeat(64) },
      { 'x-safeexambrowser-configkeyhash': configKeyHash(`${server.url}/api/exam/sittings`, key) },
    ]) {
      const res = await get(examUrl(), headers);
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.type).toBe('urn:provesal:problem:lockdown-refused');
      expect(body.detail).toContain('Safe Exam Browser');
    }
    // During the exam a mismatch also locks the answer until an invigilator unlocks it.
    const { rows } = await server.deps.db.query('SELECT locked_reason FROM registrations WHERE id = $1', [cand.registrationId]);
    expect(rows[0].locked_reason).toBe('seb-config-mismatch');
    const inv = await sessionCookie(server.deps.db, w.invigilatorA);
    expect((await postJson(server.url, `/api/lockdown/registrations/${cand.registrationId}/unlock`, inv, { reason: 'Genstartet SEB' })).status).toBe(200);
  });

  it("accepts the hash the page read from SEB's JavaScript API for one of our page URLs", async () => {
    const page = `${server.url}/?sitting=${w.sittingId}`;
    const res = await get(examUrl(), { 'x-provesal-seb-url': page, 'x-provesal-seb-configkeyhash': configKeyHash(page, key) });
    expect(res.status).toBe(200);
    const foreign = await get(examUrl(), {
      'x-provesal-seb-url': 'https://evil.example/',
      'x-provesal-seb-configkeyhash': configKeyHash('https://evil.example/', key),
    });
    expect(foreign.status).toBe(403);
  });

  it('the answer websocket: accepted with the right hash for its URL; a mismatch during the exam locks the answer, keeps it, and alerts the invigilator', async () => {
    const fresh = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
    const cookie = await sessionCookie(server.deps.db, fresh);
    const wsUrl = `${server.url.replace('http', 'ws')}/ws/answer/${fresh.registrationId}`;
    // Accepted = the server opens with y-protocols sync step 1 (message type 0). Refused = a notice (control
    // message) and then the close; both are collected so the test can say which happened.
    const outcome = (ws: WebSocket) =>
      new Promise<{ first: number | null; close: number | null }>((resolve) => {
        let first: number | null = null;
        ws.once('message', (d: Buffer) => {
          first = d[0];
          if (first === 0) resolve({ first, close: null });
        });
        ws.once('close', (c) => resolve({ first, close: c }));
      });
    const withKey = () => new WebSocket(wsUrl, { headers: { cookie, 'x-safeexambrowser-configkeyhash': configKeyHash(wsUrl, key) } });
    const ok = withKey();
    expect(await outcome(ok)).toEqual({ first: 0, close: null });
    ok.close();

    const inv = await sessionCookie(server.deps.db, w.invigilatorA);
    const room = openLiveSocket(`${server.url}/ws/invigilate/${w.sittingId}/${w.roomA}`, inv);
    await until(room.snapshot, { what: 'live room snapshot' });

    const bad = new WebSocket(wsUrl, { headers: { cookie } });
    expect((await outcome(bad)).close).toBe(4423);
    const { rows } = await server.deps.db.query('SELECT locked_reason FROM registrations WHERE id = $1', [fresh.registrationId]);
    expect(rows[0].locked_reason).toBe('seb-config-mismatch');
    expect(
      await until(() => room.events('lockdown', fresh.registrationId)[0], { what: 'seb_mismatch in the live room', detail: () => room.messages }),
    ).toMatchObject({ eventType: 'seb_mismatch' });

    // Even with the right key now, the answer stays locked until the invigilator unlocks it: a notice, then 4423.
    expect(await outcome(withKey())).toEqual({ first: MessageType.control, close: 4423 });
    const other = await sessionCookie(server.deps.db, w.invigilatorB);
    expect((await postJson(server.url, `/api/lockdown/registrations/${fresh.registrationId}/unlock`, other, { reason: 'Tjekket maskinen' })).status).toBe(404);
    expect((await postJson(server.url, `/api/lockdown/registrations/${fresh.registrationId}/unlock`, inv, { reason: 'Tjekket maskinen' })).status).toBe(200);
    const again = withKey();
    expect(await outcome(again)).toEqual({ first: 0, close: null });
    again.close();
    room.ws.close();
  });
});

describe('lockdown events from the browser', () => {
  it("stores, audits and pushes them to the invigilator; refuses another candidate's registration", async () => {
    await server.deps.db.query("UPDATE sittings SET lockdown_profile = 'browser_fullscreen' WHERE id = $1", [w.sittingId]);
    const c2 = w.candidates[1];
    const ck = await sessionCookie(server.deps.db, c2);
    const at = new Date().toISOString();
    const res = await postJson(server.url, '/api/lockdown/events', ck, {
      registrationId: c2.registrationId,
      events: [
        { type: 'left_fullscreen', at, durationMs: 4200 },
        { type: 'paste_blocked', at },
      ],
    });
    expect(res.status).toBe(200);
    const { rows } = await server.deps.db.query('SELECT type, duration_ms FROM lockdown_events WHERE registration_id = $1 ORDER BY id', [c2.registrationId]);
    expect(rows).toEqual([
      { type: 'left_fullscreen', duration_ms: 4200 },
      { type: 'paste_blocked', duration_ms: null },
    ]);
    const foreign = await postJson(server.url, '/api/lockdown/events', ck, { registrationId: cand.registrationId, events: [{ type: 'focus_lost', at }] });
    expect(foreign.status).toBe(404);
    const bad = await postJson(server.url, '/api/lockdown/events', ck, { registrationId: c2.registrationId, events: [{ type: 'teleported', at }] });
    expect(bad.status).toBe(400);
  });
});
