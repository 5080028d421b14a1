import { PasswordHasher } from '../../src/auth/passwordHasher.ts';
import { LoginRateLimiter } from '../../src/auth/rateLimit.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { InProcessBus } from '../../src/events/bus.ts';
import { createApp } from '../../src/http/app.ts';
import type { AppDeps } from '../../src/http/context.ts';
import { buildModules } from '../../src/modules.ts';
import { createLogger } from '../../src/monitoring/logger.ts';
import { createMetrics } from '../../src/monitoring/metrics.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  deps: AppDeps;
  database: TestDatabase;
  /** In-process request (Hono's app.request): same-origin JSON by default. */
  request(path: string, init?: RequestInit & { cookie?: string; json?: unknown }): Promise<Response>;
  /** Signs in and returns the Cookie header value. */
  login(username: string, password: string): Promise<string>;
  /** Moves the server clock (the time window and session expiry use deps.now). */
  setNow(d: Date | null): void;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({ DEMO: '0', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', PASSWORD_WORKERS: '1', ...overrides });
}

/** The HTTP app on its own fresh database, driven in-process. */
export async function createTestApp(o: { config?: Partial<Record<keyof Config, string>> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...o.config });
  let fixedNow: Date | null = null;
  const deps: AppDeps = {
    config,
    db: database.db,
    log: createLogger('silent'),
    passwords: new PasswordHasher(1, config.BCRYPT_COST),
    loginLimiter: new LoginRateLimiter(),
    bus: new InProcessBus(),
    metrics: createMetrics(database.db),
    now: () => fixedNow ?? new Date(),
  };
  const modules = buildModules(deps);
  const app = createApp(
    deps,
    modules.flatMap((m) => m.routes ?? []),
  );
  const request = (path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    // Browsers send Origin on every POST; the CSRF guard needs it (or a JSON content type).
    if (!headers.has('origin')) headers.set('origin', 'http://localhost');
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return Promise.resolve(app.request(`http://localhost${path}`, { ...init, headers, body }));
  };
  return {
    deps,
    database,
    request,
    async login(username, password) {
      const res = await request('/api/auth/login', { method: 'POST', json: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
      return res.headers.get('set-cookie')!.split(';')[0];
    },
    setNow(d) {
      fixedNow = d;
    },
    async close() {
      for (const m of [...modules].reverse()) await m.stop?.();
      await deps.passwords.close();
      await database.drop();
    },
  };
}

/** A real server on port 0 against its own fresh database (for websockets and multi-process tests). */
export async function startTestServer(
  o: { config?: Partial<Record<keyof Config, string>>; database?: TestDatabase } = {},
): Promise<RunningServer & { testDatabase: TestDatabase; closeAll(): Promise<void> }> {
  const testDatabase = o.database ?? (await createTestDatabase());
  const server = await startServer(testConfig({ DATABASE_URL: testDatabase.url, ...o.config }), createLogger('silent'));
  return {
    ...server,
    testDatabase,
    closeAll: async () => {
      await server.close();
      if (!o.database) await testDatabase.drop();
    },
  };
}
