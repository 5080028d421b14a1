import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { decodeJwt, importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUniLoginStandIn, type UniLoginStandIn } from '../../src/auth/oidc/dev/standIn.ts';
import { replaceRelyingParty, stopRelyingParty } from '../../src/auth/oidc/registry.ts';
import { buildUser, buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';
import { expectRefusedWithoutSession, loginAtProvider, type ProviderLogin } from './uniLoginSupport.ts';

// Sign-in with UNI-Login against a real OpenID provider (oidc-provider 9) in this process: docs/rules.md §12.
let t: TestApp;
let op: UniLoginStandIn;
let world: Awaited<ReturnType<typeof buildWorld>>;
/** When set, the next token response's id_token is replaced by what this returns (a network in between). */
let tamper: ((idToken: string) => Promise<string>) | null = null;
const CLIENT = { clientId: 'provesal-test', clientSecret: randomBytes(16).toString('hex') };

beforeAll(async () => {
  op = await startUniLoginStandIn({
    users: [],
    clients: [{ ...CLIENT, redirectUris: ['http://localhost/api/auth/oidc/callback'], postLogoutRedirectUris: ['http://localhost/'] }],
  });
  t = await createTestApp({
    config: {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      OIDC_REDIRECT_URI: 'http://localhost/api/auth/oidc/callback',
    },
  });
  const rp = replaceRelyingParty(t.deps, {
    fetch: async (url, options) => {
      const res = await fetch(url, options as RequestInit);
      if (!tamper || !url.endsWith('/token') || res.status !== 200) return res;
      const body = (await res.json()) as { id_token: string };
      body.id_token = await tamper(body.id_token);
      tamper = null;
      return Response.json(body, { headers: { 'cache-control': 'no-store' } });
    },
  });
  await rp.start();
  world = await buildWorld(t.deps.db, { candidates: 2 });
  const institution = (await t.deps.db.query<{ institution_no: string }>('SELECT institution_no FROM schools WHERE id = $1', [world.schoolId])).rows[0]
    .institution_no;
  for (const c of world.candidates) op.addUser({ uniid: c.username, name: 'Elev', aktoerGruppe: 'Elev', institutionIds: [institution], password: 'pw' });
  await t.deps.db.query('UPDATE users SET uni_id = username WHERE id = $1', [world.invigilatorA.id]);
  op.addUser({
    uniid: world.invigilatorA.username,
    name: 'Tilsyn',
    aktoerGruppe: 'Medarbejder',
    institutionIds: [institution],
    password: 'pw',
    secondFactor: '654321',
  });
  op.addUser({ uniid: 'ukendt-elev', name: 'Ukendt', aktoerGruppe: 'Elev', institutionIds: [institution], password: 'pw' });
  op.addUser({ uniid: world.invigilatorA.username.toUpperCase(), name: 'x', aktoerGruppe: 'Elev', institutionIds: [institution], password: 'pw' });
});
afterAll(async () => {
  stopRelyingParty(t.deps);
  await t.close();
  await op.close();
});

const pupil = (): ProviderLogin => ({ uniid: world.candidates[0].username, password: 'pw' });
const staffWith = (factors: 1 | 2): ProviderLogin => ({ uniid: world.invigilatorA.username, password: 'pw', code: factors === 2 ? '654321' : undefined });

async function begin(query = 'returnTo=/lobby') {
  const res = await t.request(`/api/auth/oidc/start?${query}`);
  expect(res.status, await res.clone().text()).toBe(302);
  return { location: res.headers.get('location')!, browser: res.headers.get('set-cookie')!.split(';')[0] };
}

/** Start → the provider's form → our callback, as one browser. */
async function signIn(who: ProviderLogin, o: { query?: string; accept?: string } = {}) {
  const { location, browser } = await begin(o.query);
  const callback = await loginAtProvider(location, who);
  const res = await t.request(callback.pathname + callback.search, { cookie: browser, headers: o.accept ? { accept: o.accept } : {} });
  return { res, callback, browser };
}

const expectRefused = (run: () => Promise<Response>, status: number, id: string) => expectRefusedWithoutSession(t.deps.db, run, status, id);

describe('signing in with UNI-Login', () => {
  it('starts with Authorization Code + PKCE S256, a state, a nonce and an HttpOnly browser cookie', async () => {
    const { location, browser } = await begin('returnTo=/');
    const url = new URL(location);
    expect(url.origin + url.pathname).toBe(`${op.issuer}/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('acr_values')).toBe('EnFaktor');
    expect(browser).toMatch(/^provesal_oidc=/);
    expect((await begin('returnTo=/&role=staff')).location).toContain('acr_values=ToFaktor');
  });

  it('signs a pupil in with one factor, sets the normal session cookie, returns to returnTo and audits method and level', async () => {
    const { res } = await signIn(pupil());
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/lobby');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('provesal_session='))!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const me = await t.request('/api/auth/me', { cookie: cookie.split(';')[0] });
    expect(await me.json()).toMatchObject({ user: { username: world.candidates[0].username, role: 'candidate' } });
    const { rows } = await t.deps.db.query(`SELECT details FROM audit_events WHERE action = 'auth.login' AND actor_id = $1`, [world.candidates[0].id]);
    expect(rows.at(-1)!.details).toMatchObject({ method: 'oidc', level: 'EnFaktor' });
  });

  it('refuses staff who signed in with one factor, saying how to use two; lets them in with two', async () => {
    const refused = await expectRefused(async () => (await signIn(staffWith(1), { query: 'returnTo=/&role=staff' })).res, 403, 'oidc-level-too-low');
    expect(refused.detail).toMatch(/kræver login med to faktorer/);
    const { res } = await signIn(staffWith(2), { query: 'returnTo=/&role=staff' });
    expect(res.status).toBe(302);
    const me = await t.request('/api/auth/me', { cookie: res.headers.getSetCookie()[0].split(';')[0] });
    expect(await me.json()).toMatchObject({ user: { role: 'invigilator' } });
  });

  it('refuses an unknown uniid, telling the pupil to talk to the school', async () => {
    const body = await expectRefused(async () => (await signIn({ uniid: 'ukendt-elev', password: 'pw' })).res, 403, 'oidc-unknown-user');
    expect(body.detail).toMatch(/Tal med din skole/);
  });

  it('shows a browser that followed the redirect the refusal as a Danish page', async () => {
    const { res } = await signIn({ uniid: 'ukendt-elev', password: 'pw' }, { accept: 'text/html,application/xhtml+xml' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Vi kender ikke dit UNI-Login i Prøvesal.');
  });

  it('logout returns the provider end_session URL with the id_token as hint', async () => {
    const { res } = await signIn(pupil());
    const cookie = res.headers.getSetCookie()[0].split(';')[0];
    const out = await t.request('/api/auth/logout', { method: 'POST', cookie });
    const { endSessionUrl } = await out.json();
    const url = new URL(endSessionUrl);
    expect(url.origin + url.pathname).toBe(`${op.issuer}/session/end`);
    expect(decodeJwt(url.searchParams.get('id_token_hint')!)).toMatchObject({ uniid: world.candidates[0].username });
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost/');
  });

  it('says whether UNI-Login is configured and reachable', async () => {
    expect(await (await t.request('/api/auth/oidc/status')).json()).toEqual({ configured: true, available: true });
  });
});

describe('bad input is refused with problem+json and no session', () => {
  it('a replayed callback (state already used)', async () => {
    const { callback, browser } = await signIn(pupil());
    await expectRefused(() => t.request(callback.pathname + callback.search, { cookie: browser }), 400, 'oidc-state-invalid');
  });

  it('a replayed code under a fresh state, and an unknown code', async () => {
    const first = await signIn(pupil());
    for (const code of [first.callback.searchParams.get('code')!, 'ikke-en-kode']) {
      const { location, browser } = await begin();
      const state = new URL(location).searchParams.get('state')!;
      await expectRefused(
        () => t.request(`/api/auth/oidc/callback?${new URLSearchParams({ code, state, iss: op.issuer })}`, { cookie: browser }),
        400,
        'oidc-response-rejected',
      );
    }
  });

  it('a wrong state, and the right state from another browser (which does not spoil the real sign-in)', async () => {
    const { location, browser } = await begin();
    const callback = await loginAtProvider(location, pupil());
    const wrong = new URLSearchParams(callback.search);
    wrong.set('state', randomBytes(32).toString('base64url'));
    await expectRefused(() => t.request(`${callback.pathname}?${wrong}`, { cookie: browser }), 400, 'oidc-state-invalid');
    await expectRefused(
      () => t.request(callback.pathname + callback.search, { cookie: `provesal_oidc=${randomBytes(32).toString('base64url')}` }),
      400,
      'oidc-state-invalid',
    );
    await expectRefused(() => t.request(callback.pathname + callback.search), 400, 'oidc-state-invalid');
    expect((await t.request(callback.pathname + callback.search, { cookie: browser })).status).toBe(302);
  });

  it('an expired state (more than 10 minutes after the start)', async () => {
    const { location, browser } = await begin();
    const callback = await loginAtProvider(location, pupil());
    t.setNow(new Date(Date.now() + 11 * 60_000));
    try {
      await expectRefused(() => t.request(callback.pathname + callback.search, { cookie: browser }), 400, 'oidc-state-invalid');
    } finally {
      t.setNow(null);
    }
  });

  it('a sign-in the person cancelled at the provider', async () => {
    const { location, browser } = await begin();
    const state = new URL(location).searchParams.get('state')!;
    const query = new URLSearchParams({ error: 'access_denied', state, iss: op.issuer });
    await expectRefused(() => t.request(`/api/auth/oidc/callback?${query}`, { cookie: browser }), 400, 'oidc-cancelled');
  });

  it('the callback without state', async () => {
    await expectRefused(() => t.request('/api/auth/oidc/callback?code=abc'), 400, 'oidc-state-missing');
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'http:evil.example'])('returnTo %j', async (returnTo) => {
    await expectRefused(() => t.request(`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`), 400, 'oidc-bad-return-to');
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const resign =
    (change: (p: JWTPayload) => JWTPayload, key: 'provider' | 'other' = 'provider') =>
    async (idToken: string) => {
      const jwk = key === 'provider' ? op.signingKey : otherKey;
      return new SignJWT(change(decodeJwt(idToken)))
        .setProtectedHeader({ alg: 'RS256', kid: op.signingKey.kid })
        .sign(await importJWK(jwk as Parameters<typeof importJWK>[0], 'RS256'));
    };
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['signed with another key (same kid)', resign((p) => p, 'other')],
    ['for another audience', resign((p) => ({ ...p, aud: 'another-client' }))],
    ['from another issuer', resign((p) => ({ ...p, iss: 'https://et-broker.unilogin.dk/auth/realms/broker' }))],
    ['with another nonce', resign((p) => ({ ...p, nonce: 'not-the-nonce-we-sent-0123456789' }))],
    ['that has expired', resign((p) => ({ ...p, iat: now() - 3600, exp: now() - 600 }))],
    ['claiming two factors the provider never gave (signed with another key)', resign((p) => ({ ...p, acr: 'ToFaktor' }), 'other')],
  ])('an id_token %s', async (_name, forge) => {
    await expectRefused(
      async () => {
        tamper = forge;
        return (await signIn(pupil())).res;
      },
      400,
      'oidc-response-rejected',
    );
    expect(tamper).toBeNull(); // the forged token did reach the relying party
  });

  it('an Elev whose uniid is a staff account (an Elev never becomes staff)', async () => {
    const u = await buildUser(t.deps.db, 'school_admin', { schoolId: world.schoolId });
    await t.deps.db.query('UPDATE users SET uni_id = $2 WHERE id = $1', [u.id, `${u.username}-u`]);
    op.addUser({ uniid: `${u.username}-u`, name: 'x', aktoerGruppe: 'Elev', institutionIds: [], password: 'pw' });
    await expectRefused(async () => (await signIn({ uniid: `${u.username}-u`, password: 'pw' })).res, 403, 'oidc-role-mismatch');
  });
});
