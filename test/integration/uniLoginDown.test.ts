import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUniLoginStandIn, type UniLoginStandIn } from '../../src/auth/oidc/dev/standIn.ts';
import { stopRelyingParty } from '../../src/auth/oidc/registry.ts';
import { insertAccessCode } from '../../src/auth/queries.ts';
import { newAccessCode, sha256 } from '../../src/auth/tokens.ts';
import { buildWorld } from '../support/factories.ts';
import { createTestApp, startTestServer } from '../support/testApp.ts';
import { freePort } from '../../src/db/embedded.ts';

// docs/rules.md §12: when UNI-Login is down the server starts anyway and the invigilator's one-time codes still work.

describe('with the provider stopped', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let op: UniLoginStandIn | null = null;
  let issuerPort: number;
  beforeAll(async () => {
    issuerPort = await freePort();
    server = await startTestServer({
      config: {
        OIDC_ISSUER: `http://127.0.0.1:${issuerPort}`,
        OIDC_CLIENT_ID: 'provesal-test',
        OIDC_CLIENT_SECRET: 'hemmelig',
        OIDC_REDIRECT_URI: 'http://127.0.0.1:3000/api/auth/oidc/callback',
      },
    });
  });
  afterAll(async () => {
    stopRelyingParty(server.deps);
    await server.closeAll();
    await op?.close();
  });

  it('the server starts and serves, and says UNI-Login is unavailable', async () => {
    expect((await fetch(`${server.url}/api/auth/me`)).status).toBe(401);
    expect(await (await fetch(`${server.url}/api/auth/oidc/status`)).json()).toEqual({ configured: true, available: false });
  });

  it('/start answers 503 problem+json pointing to the one-time code, or a page for a browser', async () => {
    const res = await fetch(`${server.url}/api/auth/oidc/start?returnTo=/`, { redirect: 'manual' });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = await res.json();
    expect(body.type).toBe('urn:provesal:problem:oidc-unavailable');
    expect(body.detail).toMatch(/engangskode af den tilsynsførende/);
    const page = await fetch(`${server.url}/api/auth/oidc/start?returnTo=/`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('UNI-Login svarer ikke lige nu');
  });

  it('a one-time code still signs a pupil in', async () => {
    const w = await buildWorld(server.deps.db, { candidates: 1 });
    const code = newAccessCode();
    await insertAccessCode(server.deps.db, {
      registrationId: w.candidates[0].registrationId,
      codeHash: sha256(code),
      issuedBy: w.invigilatorA.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const res = await fetch(`${server.url}/api/auth/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ code }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { role: 'candidate', username: w.candidates[0].username } });
    const { rows } = await server.deps.db.query(`SELECT details FROM audit_events WHERE action = 'auth.login' AND actor_id = $1`, [w.candidates[0].id]);
    expect(rows[0].details).toMatchObject({ method: 'access_code', level: null });
  });

  it('offers UNI-Login again once the provider answers (discovery retried in the background)', async () => {
    op = await startUniLoginStandIn({ port: issuerPort, users: [], clients: [] });
    const deadline = Date.now() + 15_000;
    let status = { available: false };
    while (!status.available && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = await (await fetch(`${server.url}/api/auth/oidc/status`)).json();
    }
    expect(status).toEqual({ configured: true, available: true });
    expect((await fetch(`${server.url}/api/auth/oidc/start?returnTo=/`, { redirect: 'manual' })).status).toBe(302);
  });
});

describe('local passwords switched off per role', () => {
  it('refuses a password for a role not in PASSWORD_LOGIN_ROLES, and still accepts it for the others', async () => {
    const t = await createTestApp({ config: { PASSWORD_LOGIN_ROLES: 'candidate' } });
    try {
      const w = await buildWorld(t.deps.db, { candidates: 1 });
      const staff = await t.request('/api/auth/login', { method: 'POST', json: { username: w.invigilatorA.username, password: w.invigilatorA.password } });
      expect(staff.status).toBe(403);
      expect((await staff.json()).type).toBe('urn:provesal:problem:password-login-disabled');
      const pupil = await t.request('/api/auth/login', { method: 'POST', json: { username: w.candidates[0].username, password: w.candidates[0].password } });
      expect(pupil.status).toBe(200);
      expect(await t.request('/api/auth/oidc/status').then((r) => r.json())).toEqual({ configured: false, available: false });
    } finally {
      await t.close();
    }
  });
});
