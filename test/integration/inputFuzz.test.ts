import fc from 'fast-check';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/http/app.ts';
import { buildModules, type Module } from '../../src/modules.ts';
import { buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';
import { nearlyValid } from './jsonSchemaArbitrary.ts';

/**
 * Hardening point 6 (docs/rules.md §10: every bad input gets a clear refusal): random JSON to every state-changing
 * route of the app, from every role and from nobody, never gets a 500. The routes are read from the app itself, so
 * a new route is fuzzed without anyone remembering to add it; most bodies nearly fit one of the domain's zod schemas
 * (jsonSchemaArbitrary.ts), so they get past validation into the handlers and the database.
 */
const RUNS_PER_ROUTE = 25;
const ROLES = ['anonymous', 'ministry', 'school_admin', 'invigilator', 'grader', 'candidate'] as const;
type FuzzRole = (typeof ROLES)[number];

let t: TestApp;
let app: ReturnType<typeof createApp>;
let modules: Module[];
let w: Awaited<ReturnType<typeof buildWorld>>;
const users: Partial<Record<FuzzRole, { username: string; password: string }>> = {};
const sessions = new Map<FuzzRole, string | null>();

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'harden-fuzz-')) } });
  modules = buildModules(t.deps);
  app = createApp(
    t.deps,
    modules.flatMap((m) => m.routes ?? []),
  );
  // Started a minute ago, so the window is open and bodies reach the exam's own rules, not only "not yet".
  w = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 3 });
  Object.assign(users, { ministry: w.ministry, school_admin: w.schoolAdmin, invigilator: w.invigilatorA, grader: w.grader, candidate: w.candidates[0] });
});
afterAll(async () => {
  for (const m of [...modules].reverse()) await m.stop?.();
  await t.close();
});

/** The role's session cookie, signing in again when a fuzzed request ended it (logout, a changed password). */
async function cookieOf(role: FuzzRole): Promise<string | undefined> {
  const u = users[role];
  if (!u) return undefined;
  if (!sessions.has(role)) {
    const res = await app.request('http://localhost/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify(u),
    });
    // A fuzzed request may have changed this user's password: the role then goes on unsigned, which is also input.
    sessions.set(role, res.status === 200 ? res.headers.get('set-cookie')!.split(';')[0] : null);
  }
  return sessions.get(role) ?? undefined;
}

// The domain whose schema.ts describes a route's body, by the route's first segment under /api.
const DOMAIN_OF: Record<string, string> = {
  auth: 'auth',
  sittings: 'scheduling',
  invigilation: 'invigilation',
  schools: 'schools',
  lockdown: 'lockdown',
  submissions: 'submissions',
  exam: 'exam',
};

/** Every zod schema the domain's schema.ts exports: a route's body is one of them (we need not know which). */
async function domainSchemas(domain: string | undefined): Promise<z.ZodType[]> {
  const file = path.resolve('src', domain ?? '-', 'schema.ts');
  if (!domain || !existsSync(file)) return [];
  return Object.values((await import(file)) as Record<string, unknown>).filter((v): v is z.ZodType => v instanceof z.ZodType);
}

/** The roles that get past the route's role check with an empty body (anything but 401 and a 403 `forbidden`). */
async function rolesAdmittedTo(method: string, url: string): Promise<FuzzRole[]> {
  const admitted: FuzzRole[] = [];
  for (const role of ROLES.filter((r) => r !== 'anonymous')) {
    const cookie = await cookieOf(role);
    const res = await app.request(`http://localhost${url}`, {
      method,
      body: '{}',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', ...(cookie ? { cookie } : {}) },
    });
    const type = res.status === 403 ? ((await res.json()) as { type: string }).type : '';
    if (res.status >= 500) throw new Error(`${method} ${url} as ${role}: ${res.status}`);
    if (res.status !== 401 && type !== 'urn:provesal:problem:forbidden') admitted.push(role);
  }
  return admitted;
}

const ids = () =>
  fc.constantFrom(w.sittingId, w.roomA, w.roomB, w.schoolId, w.candidates[1].registrationId, w.candidates[2].registrationId, w.grader.id, w.invigilatorB.id);
const edgeNumber = fc.constantFrom(0, -1, 1, 0.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, 600, 601, 9, 10);
const edgeString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x'.repeat(300),
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2031-02-30',
  '2031-05-07',
  '25:61',
  '09:00',
  'seb_required',
  'left_fullscreen',
  '7',
  'null',
  "'; DROP TABLE users; --",
);
// Short strings over an alphabet with a NUL (PostgreSQL text cannot hold one), quotes and Danish letters.
const oddString = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', 'æ', 'Ø', '\u0000', '"', '\\', '%', '-', ':', '/'), maxLength: 12 });
const leaf = () =>
  fc.oneof(
    { weight: 3, arbitrary: ids() },
    { weight: 2, arbitrary: edgeNumber },
    { weight: 3, arbitrary: edgeString },
    { weight: 3, arbitrary: oddString },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );

function bodies(schemas: z.ZodType[]) {
  const leaves = { any: leaf(), id: ids(), text: oddString };
  return fc.oneof(
    ...(schemas.length ? [{ weight: 6, arbitrary: fc.oneof(...schemas.map((sc) => nearlyValid(sc, leaves))).map((v) => JSON.stringify(v)) }] : []),
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }, // not JSON at all
  );
}

const pathParam = () =>
  fc.oneof({ weight: 4, arbitrary: ids().map(String) }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '1e3', '99999999999999999999', '%00') });

describe('no 500 from input', () => {
  it('random JSON to every POST/PUT/PATCH route, as every role, never gets a 500', async () => {
    const routes = app.routes
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.path.startsWith('/api/'))
      .map((r) => ({ method: r.method, path: r.path }))
      .filter((r, i, all) => all.findIndex((o) => o.method === r.method && o.path === r.path) === i)
      // Signing out ends the session the other routes use: last.
      .sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'POST /api/sittings', 'POST /api/lockdown/events']),
    );
    expect((await domainSchemas('scheduling')).length).toBeGreaterThan(2);

    for (const route of routes) {
      const params = route.path.match(/:\w+/g) ?? [];
      const schemas = await domainSchemas(DOMAIN_OF[route.path.split('/')[2]]);
      const admitted = await rolesAdmittedTo(
        route.method,
        params.reduce((p, name) => p.replace(name, String(w.candidates[1].registrationId)), route.path),
      );
      // Mostly the roles the route serves (the others stop at the role check), sometimes anyone.
      const role = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(admitted.length ? admitted : ROLES)) },
        { weight: 1, arbitrary: fc.constantFrom(...ROLES) },
      );
      await fc.assert(
        fc.asyncProperty(role, fc.array(pathParam(), { minLength: params.length, maxLength: params.length }), bodies(schemas), async (role, values, body) => {
          const url = params.reduce((p, name, i) => p.replace(name, values[i]), route.path);
          const cookie = await cookieOf(role);
          const headers: Record<string, string> = { 'content-type': 'application/json', origin: 'http://localhost' };
          if (cookie) headers.cookie = cookie;
          const res = await app.request(`http://localhost${url}`, { method: route.method, headers, body });
          if (res.status === 401 && cookie) sessions.delete(role);
          const text = await res.text();
          expect(res.status, `${route.method} ${url} as ${role}: ${text}`).toBeLessThan(500);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
  }, 120_000);
});
