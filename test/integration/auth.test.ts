import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

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
