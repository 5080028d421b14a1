import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.ts';
import { until } from '../support/poll.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('sign-in', () => {
  it('signs in with the right password and sets an HttpOnly SameSite=Strict cookie', async () => {
    const u = await buildUser(t.deps.db, 'ministry');
    const res = await t.request('/api/auth/login', { method: 'POST', json: { username: u.username, password: u.password } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^provesal_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const me = await t.request('/api/auth/me', { cookie: cookie.split(';')[0] });
    expect(await me.json()).toMatchObject({ user: { username: u.username, role: 'ministry' } });
  });

  it('refuses a wrong password with problem+json and the same message as an unknown user', async () => {
    const u = await buildUser(t.deps.db, 'grader');
    const wrong = await t.request('/api/auth/login', { method: 'POST', json: { username: u.username, password: 'nope' } });
    const unknown = await t.request('/api/auth/login', { method: 'POST', json: { username: 'ingen-saadan', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const a = await wrong.json();
    const b = await unknown.json();
    expect(a.type).toBe('urn:provesal:problem:invalid-credentials');
    expect(a.detail).toBe(b.detail);
  });
});

describe('rate limits, sessions and codes', () => {
  it('locks an account after five wrong passwords with "try again in N s", and the right password is refused meanwhile', async () => {
    const u = await buildUser(t.deps.db, 'invigilator');
    for (let i = 0; i < 5; i++) {
      const r = await t.request('/api/auth/login', { method: 'POST', json: { username: u.username, password: 'forkert' } });
      expect(r.status).toBe(401);
    }
    const locked = await t.request('/api/auth/login', { method: 'POST', json: { username: u.username, password: u.password } });
    expect(locked.status).toBe(429);
    const body = await locked.json();
    expect(body.type).toBe('urn:provesal:problem:rate-limited');
    expect(body.detail).toMatch(/Prøv igen om \d+ s/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a session once it has expired, saying so', async () => {
    const u = await buildUser(t.deps.db, 'grader');
    const cookie = await t.login(u.username, u.password);
    expect((await t.request('/api/auth/me', { cookie })).status).toBe(200);
    t.setNow(new Date(Date.now() + 13 * 3_600_000)); // SESSION_TTL_HOURS defaults to 12
    try {
      const res = await t.request('/api/auth/me', { cookie });
      expect(res.status).toBe(401);
      expect((await res.json()).type).toBe('urn:provesal:problem:session-expired');
    } finally {
      t.setNow(null);
    }
  });

  it('logout revokes the session server-side', async () => {
    const u = await buildUser(t.deps.db, 'ministry');
    const cookie = await t.login(u.username, u.password);
    expect((await t.request('/api/auth/logout', { method: 'POST', cookie })).status).toBe(200);
    expect((await t.request('/api/auth/me', { cookie })).status).toBe(401);
  });

  it('a one-time access code signs the candidate in once and never again', async () => {
    const { buildWorld } = await import('../support/factories.ts');
    const { insertAccessCode } = await import('../../src/auth/queries.ts');
    const { newAccessCode, sha256 } = await import('../../src/auth/tokens.ts');
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const code = newAccessCode();
    await insertAccessCode(t.deps.db, {
      registrationId: w.candidates[0].registrationId,
      codeHash: sha256(code),
      issuedBy: w.invigilatorA.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const first = await t.request('/api/auth/code', { method: 'POST', json: { code: code.toLowerCase().replace(/-/g, ' ') } });
    expect(first.status).toBe(200);
    expect((await first.json()).user.username).toBe(w.candidates[0].username);
    const again = await t.request('/api/auth/code', { method: 'POST', json: { code } });
    expect(again.status).toBe(401);
    expect((await again.json()).type).toBe('urn:provesal:problem:invalid-access-code');
  });

  it('refuses an expired access code', async () => {
    const { buildWorld } = await import('../support/factories.ts');
    const { insertAccessCode } = await import('../../src/auth/queries.ts');
    const { newAccessCode, sha256 } = await import('../../src/auth/tokens.ts');
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const code = newAccessCode();
    await insertAccessCode(t.deps.db, {
      registrationId: w.candidates[0].registrationId,
      codeHash: sha256(code),
      issuedBy: null,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect((await t.request('/api/auth/code', { method: 'POST', json: { code } })).status).toBe(401);
  });

  it('audits logins and failed logins', async () => {
    const u = await buildUser(t.deps.db, 'ministry');
    await t.login(u.username, u.password);
    await t.request('/api/auth/login', { method: 'POST', json: { username: u.username, password: 'x' } });
    const { rows } = await t.deps.db.query('SELECT action FROM audit_events WHERE subject_id IN ($1, $2) ORDER BY id', [String(u.id), u.username]);
    expect(rows.map((r) => r.action)).toEqual(['auth.login', 'auth.login_failed']);
  });
});

describe('errors are problem+json', () => {
  it('answers malformed JSON with 400 bad-json', async () => {
    const res = await t.request('/api/auth/login', { method: 'POST', body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'urn:provesal:problem:bad-json', status: 400 });
  });

  it('answers a validation failure with the field named, in Danish by default and English on request', async () => {
    const da = await t.request('/api/auth/login', { method: 'POST', json: { username: '', password: 'x' } });
    expect(da.status).toBe(400);
    const body = await da.json();
    expect(body.type).toBe('urn:provesal:problem:validation-failed');
    expect(body.field).toBe('username');
    expect(body.detail).toBe('Udfyld feltet »Brugernavn«.');
    const en = await t.request('/api/auth/login', { method: 'POST', json: { username: '' }, headers: { 'accept-language': 'en' } });
    expect((await en.json()).detail).toBe('Fill in the field "Username".');
  });

  it('answers an unknown API route with 404 problem+json', async () => {
    const res = await t.request('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).type).toBe('urn:provesal:problem:no-such-route');
  });

  it('refuses a cross-site form post (CSRF)', async () => {
    const res = await t.request('/api/auth/login', {
      method: 'POST',
      body: 'username=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).type).toBe('urn:provesal:problem:csrf-refused');
  });

  it('needs a session for /me', async () => {
    const res = await t.request('/api/auth/me');
    expect(res.status).toBe(401);
    expect((await res.json()).type).toBe('urn:provesal:problem:unauthenticated');
  });
});

describe('the sign-in queue', () => {
  it('tells a waiting pupil how many sign-ins are ahead, while bcrypt work is queued', async () => {
    const u = await buildUser(t.deps.db, 'candidate', {
      schoolId: (await t.deps.db.query("INSERT INTO schools (name, institution_no) VALUES ('Kø', 'QUEUE1') RETURNING id")).rows[0].id,
    });
    // One hashing thread in tests: ten logins at once leave nine waiting.
    const logins = Array.from({ length: 10 }, () => t.request('/api/auth/login', { method: 'POST', json: { username: u.username, password: u.password } }));
    const q = await until(
      async () => {
        const body = (await (await t.request('/api/auth/queue')).json()) as { waiting: number; estimateSeconds: number };
        return body.waiting > 0 && body;
      },
      { what: 'a sign-in waiting for the hashing thread', intervalMs: 5 },
    );
    expect(q.waiting).toBeLessThanOrEqual(9);
    // A pupil with sign-ins ahead is told a wait of at least a second, never "0 s".
    expect(q.estimateSeconds).toBeGreaterThanOrEqual(1);
    expect((await Promise.all(logins)).every((r) => r.status === 200)).toBe(true);
    expect((await (await t.request('/api/auth/queue')).json()).waiting).toBe(0);
  });
});
