import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { spawnServer, type ServerProcess } from '../../support/serverProcess.ts';
import { launchBrowser } from './browser.ts';

export interface Demo {
  database: TestDatabase;
  server: ServerProcess;
  browser: Browser;
  page(o?: BrowserContextOptions): Promise<Page>;
  stop(): Promise<void>;
}

/**
 * What `npm start` serves, with its demo seeded into a fresh database, the demo sitting moved to start in a
 * few seconds, and Debian's Chromium ready for as many users (browser contexts) as the test needs.
 */
export async function startDemo(o: { startsInSeconds: number; lockdownProfile?: string; env?: Record<string, string> }): Promise<Demo> {
  const database = await createTestDatabase();
  const server = await spawnServer({ DATABASE_URL: database.url, DEMO: '1', ...o.env });
  await database.db.query(
    `UPDATE sittings SET starts_at = now() + make_interval(secs => $1)${o.lockdownProfile ? ', lockdown_profile = $2' : ''}`,
    o.lockdownProfile ? [o.startsInSeconds, o.lockdownProfile] : [o.startsInSeconds],
  );
  const browser = await launchBrowser();
  return {
    database,
    server,
    browser,
    page: async (opts = {}) => (await browser.newContext({ locale: 'da-DK', ...opts })).newPage(),
    stop: async () => {
      await browser.close();
      await server.kill();
      await database.drop();
    },
  };
}
