import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/events/bus.ts';
import { CLIENT_DIST } from '../../src/http/staticClient.ts';
import { buildRoom, buildSchool, buildUser, buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

// In-process tests of the hardening issue's points 4, 5, 6, 7, 10 and 11 (the sockets and restarts are in
// socketOrigin.test.ts and demoAccounts.test.ts, the fuzzing in inputFuzz.test.ts).
let t: TestApp;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookies: Record<string, string> = {};
const ORIGIN = 'http://127.0.0.1:3999';

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'harden-')), PORT: '3999', JSON_BODY_LIMIT_BYTES: '4096' } });
  w = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 2 });
  for (const [k, u] of Object.entries({
    ministry: w.ministry,
    admin: w.schoolAdmin,
    invigilator: w.invigilatorA,
    grader: w.grader,
    candidate: w.candidates[0],
  })) {
    cookies[k] = await t.login(u.username, u.password);
  }
});
afterAll(async () => {
  await t.close();
});

const problemType = async (res: Response) => ((await res.json()) as { type: string }).type.replace('urn:provesal:problem:', '');

describe('4: absolute URLs come from configuration only', () => {
  it('a .seb requested with a forged Host header still starts and quits at the configured origin', async () => {
    const res = await t.request(`/api/lockdown/sittings/${w.sittingId}/config.seb`, {
      cookie: cookies.admin,
      headers: { host: 'evil.example', origin: 'http://evil.example' },
    });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`<string>${ORIGIN}/?sitting=${w.sittingId}</string>`);
    expect(xml).toContain(`<string>${ORIGIN}/seb-quit</string>`);
    expect(xml).not.toContain('evil.example');
    const { rows } = await t.deps.db.query('SELECT start_url FROM sitting_seb WHERE sitting_id = $1', [w.sittingId]);
    expect(rows[0].start_url).toBe(`${ORIGIN}/?sitting=${w.sittingId}`);
  });

  it("replaces a start URL that an earlier version stored from a request's Host header", async () => {
    const other = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 0 });
    await t.deps.db.query(
      `INSERT INTO sitting_seb (sitting_id, exam_key_salt, quit_password, start_url) VALUES ($1, $2, 'q', 'http://evil.example/?sitting=1')`,
      [other.sittingId, Buffer.alloc(32, 7)],
    );
    const admin = await t.login(other.schoolAdmin.username, other.schoolAdmin.password);
    const xml = await (await t.request(`/api/lockdown/sittings/${other.sittingId}/config.seb`, { cookie: admin })).text();
    expect(xml).toContain(`<string>${ORIGIN}/?sitting=${other.sittingId}</string>`);
    expect(xml).not.toContain('evil.example');
  });
});

describe('5: body limits and JSON depth', () => {
  it('refuses a JSON body over JSON_BODY_LIMIT_BYTES with 413 while it streams', async () => {
    const res = await t.request('/api/lockdown/events', {
      method: 'POST',
      cookie: cookies.candidate,
      json: { registrationId: 1, events: [], pad: 'x'.repeat(5000) },
    });
    expect(res.status).toBe(413);
    expect(await problemType(res)).toBe('payload-too-large');
  });

  it('refuses JSON nested deeper than 32 levels with 400 json-too-deep, before validation', async () => {
    const deep = '['.repeat(33) + ']'.repeat(33);
    const res = await t.request('/api/lockdown/events', {
      method: 'POST',
      cookie: cookies.candidate,
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.type).toBe('urn:provesal:problem:json-too-deep');
    expect(body.detail_da).toContain('for dybt');
    expect(body.detail_en).toContain('too deeply');
  });

  it('still takes 32 levels (the check is on depth, not on brackets inside strings)', async () => {
    const ok = { registrationId: w.candidates[0].registrationId, events: [{ type: 'focus_lost', details: { note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' } }] };
    const res = await t.request('/api/lockdown/events', { method: 'POST', cookie: cookies.candidate, json: ok });
    expect(res.status).toBe(200);
  });
});

describe('6: no 500 from input', () => {
  it('a sitting naming an unknown school is a 409 problem without SQL in it', async () => {
    const res = await t.request('/api/sittings', {
      method: 'POST',
      cookie: cookies.ministry,
      json: {
        subject: 'Dansk',
        level: 9,
        startDate: '2031-05-07',
        startTime: '09:00',
        durationMinutes: 60,
        schoolIds: [987654321],
      },
    });
    expect(res.status).toBe(409);
    const text = await res.text();
    expect(JSON.parse(text).type).toBe('urn:provesal:problem:unknown-reference');
    expect(text).not.toMatch(/sitting_schools|constraint|foreign key|INSERT/i);
  });

  it('a question paper nested 5,000 levels deep is refused with 400, not 500', async () => {
    // Written as text: JSON.stringify itself overflows the stack on this (which is the point of the check).
    const levels = 2500; // one paragraph = an object and its content array: 5,000 levels
    const body = `{"doc":{"type":"doc","content":[${'{"type":"paragraph","content":['.repeat(levels)}{"type":"text","text":"bund"}${']}'.repeat(levels)}]}}`;
    const res = await t.request(`/api/sittings/${w.sittingId}/paper/text`, {
      method: 'PUT',
      cookie: cookies.ministry,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(await problemType(res)).toBe('json-too-deep');
  });

  it('a NUL character in text is a 400 problem, not a database 500', async () => {
    const room = await t.request('/api/schools/rooms', { method: 'POST', cookie: cookies.admin, json: { name: 'Lokale\u0000X' } });
    expect(room.status).toBe(400);
    expect(await problemType(room)).toBe('invalid-value');
  });
});

describe('7: lockdown events are timed by the server', () => {
  it("stores the receive time and keeps the client's 1970 only as client_at; the live event carries the server time", async () => {
    const reg = w.candidates[1];
    const ck = await t.login(reg.username, reg.password);
    const serverNow = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000); // within the session's life
    const live: { at: string }[] = [];
    const stop = t.deps.bus.subscribe(channels.room(w.sittingId, w.roomA), (e) => {
      if (e.type === 'lockdown') live.push(e as unknown as { at: string });
    });
    t.setNow(serverNow);
    try {
      const res = await t.request('/api/lockdown/events', {
        method: 'POST',
        cookie: ck,
        json: { registrationId: reg.registrationId, events: [{ type: 'left_fullscreen', at: '1970-01-01T00:00:00Z' }] },
      });
      expect(res.status).toBe(200);
    } finally {
      t.setNow(null);
      stop();
    }
    const { rows } = await t.deps.db.query<{ occurred_at: Date; client_at: Date }>(
      'SELECT occurred_at, client_at FROM lockdown_events WHERE registration_id = $1',
      [reg.registrationId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].occurred_at.toISOString()).toBe(serverNow.toISOString());
    expect(rows[0].client_at.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(live.map((e) => e.at)).toEqual([serverNow.toISOString()]);
  });
});

describe('10: security headers on every response', () => {
  const expectHeaders = (res: Response) => {
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  };

  it('JSON, problem+json and unknown routes carry CSP, nosniff, Referrer-Policy; no HSTS without Secure cookies', async () => {
    const json = await t.request('/api/sittings', { cookie: cookies.ministry });
    expect(json.status).toBe(200);
    expectHeaders(json);
    expect(json.headers.get('strict-transport-security')).toBeNull();
    const problem = await t.request('/api/sittings', { cookie: cookies.candidate });
    expect(problem.headers.get('content-type')).toContain('application/problem+json');
    expectHeaders(problem);
    expectHeaders(await t.request('/api/no/such/thing'));
    expectHeaders(await t.request('/health'));
  });

  it.skipIf(!existsSync(CLIENT_DIST))("the built client's HTML and static files carry them too (npm run build:client)", async () => {
    for (const p of ['/', '/some/client/route']) {
      const res = await t.request(p);
      expect(res.headers.get('content-type'), p).toContain('text/html');
      expectHeaders(res);
    }
    const html = await (await t.request('/')).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script for the policy to forbid
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    expectHeaders(await t.request(asset));
  });

  it('the access-code sheet (HTML) allows only its own stylesheet, by hash', async () => {
    const res = await t.request(`/api/schools/rooms/${w.roomA}/access-codes?sittingId=${w.sittingId}&format=html`, { cookie: cookies.admin });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).not.toContain('<script');
  });
});

describe('11: 404 before 403 for the sealed paper', () => {
  it('before the start an unrelated caller gets 404, a related non-ministry caller 403 sealed', async () => {
    const otherSchool = await buildSchool(t.deps.db);
    await buildRoom(t.deps.db, otherSchool);
    const stranger = await buildUser(t.deps.db, 'school_admin', { schoolId: otherSchool });
    const strangerGrader = await buildUser(t.deps.db, 'grader');
    for (const u of [stranger, strangerGrader]) {
      const res = await t.request(`/api/sittings/${w.sittingId}/paper/info`, { cookie: await t.login(u.username, u.password) });
      expect(res.status, u.username).toBe(404);
      expect(await problemType(res)).toBe('not-found');
    }
    for (const who of ['admin', 'grader', 'invigilator', 'candidate']) {
      const res = await t.request(`/api/sittings/${w.sittingId}/paper/info`, { cookie: cookies[who] });
      expect(res.status, who).toBe(403);
      expect(await problemType(res)).toBe('paper-sealed');
    }
  });
});
