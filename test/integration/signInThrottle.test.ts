import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/auth/loginLimiter.ts';
import { insertAccessCode } from '../../src/auth/queries.ts';
import { loginRulesFrom } from '../../src/auth/rateLimit.ts';
import { newAccessCode, sha256 } from '../../src/auth/tokens.ts';
import { buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

// A stored hash decides the cost of a compare, so these users sign in in ~1 ms instead of 66 ms at cost 10.
const PASSWORD = 'rigtig-adgangskode';
const cheapHash = bcrypt.hashSync(PASSWORD, 4);

let t: TestApp;
let clock = 0;
let world: Awaited<ReturnType<typeof buildWorld>>;
let municipality: string[];

beforeAll(async () => {
  // nginx is the one trusted hop: the last X-Forwarded-For entry is the client, anything before it is forged.
  t = await createTestApp({ config: { TRUST_PROXY_HOPS: '1', LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: '40', LOGIN_CODE_FAILURES_PER_MINUTE: '30' } });
  world = await buildWorld(t.deps.db, { candidates: 3 });
  await t.deps.db.query('UPDATE users SET password_hash = $1 WHERE id = ANY($2::bigint[])', [cheapHash, world.candidates.map((c) => c.id)]);
  const prefix = randomBytes(3).toString('hex');
  const { rows } = await t.deps.db.query<{ username: string }>(
    `INSERT INTO users (username, display_name, role, school_id, password_hash)
     SELECT 'k' || $1 || '-' || g, 'Elev ' || g, 'candidate', $2, $3 FROM generate_series(1, 500) g RETURNING username`,
    [prefix, world.schoolId, cheapHash],
  );
  municipality = rows.map((r) => r.username);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  // A fresh limiter per test, built from the test app's configuration, on a clock the test moves.
  clock = Date.now();
  t.deps.loginLimiter = new LoginRateLimiter(loginRulesFrom(t.deps.config), () => clock);
});

const via = (address: string, forged = '6.6.6.6') => ({ 'x-forwarded-for': `${forged}, ${address}` });
const login = (username: string, password: string, address: string, forged?: string) =>
  t.request('/api/auth/login', { method: 'POST', json: { username, password }, headers: via(address, forged) });
const useCode = (code: string, address: string) => t.request('/api/auth/code', { method: 'POST', json: { code }, headers: via(address) });
async function issueCode(registrationId: number): Promise<string> {
  const code = newAccessCode();
  await insertAccessCode(t.deps.db, { registrationId, codeHash: sha256(code), issuedBy: world.invigilatorA.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return code;
}
async function expectRateLimited(res: Response): Promise<number> {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = await res.json();
  expect(body).toMatchObject({
    type: 'urn:provesal:problem:rate-limited',
    status: 429,
    retryAfterSeconds: retryAfter,
    detail_da: `For mange forsøg. Prøv igen om ${retryAfter} s.`,
    detail_en: `Too many attempts. Try again in ${retryAfter} s.`,
  });
  return retryAfter;
}

describe('wrong passwords cannot lock a pupil out', () => {
  it('costs a backoff for that account from that address only, doubling from 2 s and capped at 60 s — never a 15-minute lock', async () => {
    const pupil = world.candidates[0];
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      let res = await login(pupil.username, 'forkert', '198.51.100.7');
      if (res.status === 429) {
        const s = await expectRateLimited(res);
        waits.push(s);
        clock += s * 1000;
        res = await login(pupil.username, 'forkert', '198.51.100.7');
      }
      expect(res.status).toBe(401);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 60, 60]);
    expect(await expectRateLimited(await login(pupil.username, PASSWORD, '198.51.100.7'))).toBe(60);
    // The same pupil at another machine is not held back by the guesses made at this one.
    expect((await login(pupil.username, PASSWORD, '198.51.100.8')).status).toBe(200);
    clock += 60_000;
    expect((await login(pupil.username, PASSWORD, '198.51.100.7')).status).toBe(200);
  });

  it("after any number of wrong passwords from any address, the invigilator's one-time code signs the pupil in at once", async () => {
    const pupil = world.candidates[1];
    for (const address of ['198.51.100.20', '198.51.100.21', '203.0.113.1']) {
      for (let i = 0; i < 30; i++) expect([401, 429]).toContain((await login(pupil.username, 'forkert', address)).status);
    }
    // Push one address past its failure ceiling too: its password sign-ins now wait.
    for (const name of municipality.slice(0, 40)) await login(name, 'forkert', '203.0.113.1');
    await expectRateLimited(await login(municipality[100], PASSWORD, '203.0.113.1'));
    const res = await useCode(await issueCode(pupil.registrationId), '203.0.113.1');
    expect(res.status).toBe(200);
    expect((await res.json()).user.username).toBe(pupil.username);
  });
});

describe('one-time codes behind one NAT address', () => {
  it("20 wrong codes from one address do not stop another pupil's valid code from that address", async () => {
    for (let i = 0; i < 20; i++) {
      const res = await useCode(newAccessCode(), '192.0.2.10');
      expect(res.status).toBe(401);
      expect((await res.json()).type).toBe('urn:provesal:problem:invalid-access-code');
    }
    const res = await useCode(await issueCode(world.candidates[2].registrationId), '192.0.2.10');
    expect(res.status).toBe(200);
    expect((await res.json()).user.username).toBe(world.candidates[2].username);
  });

  it('slows retries of one typed code, whatever the address', async () => {
    const typo = newAccessCode();
    for (let i = 0; i < 5; i++) expect((await useCode(typo, `192.0.2.${20 + i}`)).status).toBe(401);
    await expectRateLimited(await useCode(typo, '192.0.2.99'));
  });

  it('a global budget of wrong codes per minute bounds guessing from many addresses, and lifts after the minute', async () => {
    for (let i = 0; i < 30; i++) expect((await useCode(newAccessCode(), `198.18.0.${i + 1}`)).status).toBe(401);
    const code = await issueCode(world.candidates[0].registrationId);
    const wait = await expectRateLimited(await useCode(code, '198.18.1.1'));
    clock += wait * 1000;
    expect((await useCode(code, '198.18.1.1')).status).toBe(200);
  });
});

describe('the client address behind the proxy', () => {
  it('is the entry our proxy appended: a forged first X-Forwarded-For entry is neither audited nor a way around the backoff', async () => {
    const pupil = world.candidates[2];
    for (let i = 0; i < 5; i++) expect((await login(pupil.username, 'forkert', '198.51.100.30', `10.9.9.${i}`)).status).toBe(401);
    await expectRateLimited(await login(pupil.username, 'forkert', '198.51.100.30', '10.9.9.77'));
    const { rows } = await t.deps.db.query<{ address: string }>(
      `SELECT DISTINCT details->>'address' AS address FROM audit_events WHERE action = 'auth.login_failed' AND subject_id = $1`,
      [pupil.username],
    );
    expect(rows.map((r) => r.address)).toEqual(['198.51.100.30']);

    const ok = await login(municipality[499], PASSWORD, '198.51.100.31', '10.9.9.1');
    expect(ok.status).toBe(200);
    const audited = await t.deps.db.query<{ address: string }>(
      `SELECT details->>'address' AS address FROM audit_events WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`,
    );
    expect(audited.rows[0].address).toBe('198.51.100.31');
    const session = await t.deps.db.query<{ address: string }>(
      'SELECT s.address FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1 ORDER BY s.id DESC LIMIT 1',
      [municipality[499]],
    );
    expect(session.rows[0].address).toBe('198.51.100.31');
  });
});

describe('a whole municipality behind one address', () => {
  it('500 successful sign-ins are never throttled; 50 failures from that address are slowed, codes and other addresses are not', async () => {
    const nat = '192.0.2.200';
    for (let i = 0; i < municipality.length; i += 25) {
      const batch = await Promise.all(municipality.slice(i, i + 25).map((name) => login(name, PASSWORD, nat)));
      expect(batch.map((r) => r.status)).toEqual(batch.map(() => 200));
    }
    const failures: number[] = [];
    for (const name of municipality.slice(0, 50)) {
      const res = await login(name, 'tastefejl', nat);
      failures.push(res.status);
      if (res.status === 429) await expectRateLimited(res);
    }
    expect(failures.slice(0, 40)).toEqual(Array(40).fill(401));
    expect(failures.slice(40)).toEqual(Array(10).fill(429));
    const en = await t.request('/api/auth/login', {
      method: 'POST',
      json: { username: municipality[300], password: PASSWORD },
      headers: { ...via(nat), 'accept-language': 'en' },
    });
    expect(en.status).toBe(429);
    expect((await en.json()).detail).toMatch(/^Too many attempts\. Try again in \d+ s\.$/);

    // The burst slows that address's passwords only: its codes and the same accounts elsewhere go ahead.
    expect((await useCode(await issueCode(world.candidates[0].registrationId), nat)).status).toBe(200);
    expect((await login(municipality[1], PASSWORD, '192.0.2.201')).status).toBe(200);
    // And it is a slowdown, not a lock: a minute later the address signs in again.
    clock += 60_000;
    expect((await login(municipality[300], PASSWORD, nat)).status).toBe(200);
  });
});
