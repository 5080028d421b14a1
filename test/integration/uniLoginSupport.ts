import { expect } from 'vitest';
import type { Queryable } from '../../src/db/pool.ts';

/** A browser's cookies for one site, enough for the provider's interaction and session cookies. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface ProviderLogin {
  uniid: string;
  password: string;
  code?: string;
}

/**
 * Signs in at the provider the way a browser would (GET /auth → GET /interaction/:uid → POST the
 * form → GET /auth/:uid → redirect to our callback), and returns the callback URL with `code` and `state`.
 */
export async function loginAtProvider(authorizationUrl: string, who: ProviderLogin): Promise<URL> {
  const jar = new CookieJar();
  const get = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  const auth = await get(authorizationUrl);
  expect(auth.status, await auth.clone().text()).toBe(303);
  const interactionUrl = new URL(auth.headers.get('location')!, authorizationUrl);
  const form = await get(interactionUrl.href);
  expect(form.status).toBe(200);
  const posted = await fetch(`${interactionUrl.href}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ uniid: who.uniid, password: who.password, code: who.code ?? '' }),
  });
  jar.take(posted);
  expect(posted.status, await posted.clone().text()).toBe(303);
  const resumed = await get(new URL(posted.headers.get('location')!, authorizationUrl).href);
  expect(resumed.status, await resumed.clone().text()).toBe(303);
  return new URL(resumed.headers.get('location')!, authorizationUrl);
}

/** A refusal: problem+json with this id, no session cookie, and no session created. */
export async function expectRefusedWithoutSession(db: Queryable, run: () => Promise<Response>, status: number, id: string): Promise<Record<string, string>> {
  const sessionCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions')).rows[0].n;
  const before = await sessionCount();
  const res = await run();
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.getSetCookie().join()).not.toContain('provesal_session=');
  const body = await res.json();
  expect(body.type).toBe(`urn:provesal:problem:${id}`);
  expect(await sessionCount()).toBe(before);
  return body;
}
