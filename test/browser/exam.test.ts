import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { spawnServer, type ServerProcess } from '../support/serverProcess.ts';
import { launchBrowser, screenshot, signIn } from './support/browser.ts';

let database: TestDatabase;
let server: ServerProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  database = await createTestDatabase();
  // What `npm start` does, with the demo seeded (DEMO=1) into a fresh database.
  server = await spawnServer({ DATABASE_URL: database.url, DEMO: '1' });
  // The demo starts 5 minutes after start-up; a test need not wait that long.
  await database.db.query("UPDATE sittings SET starts_at = now() + interval '12 seconds'");
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: 'da-DK' })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await database?.drop();
});

describe('a pupil sits the demo exam in Chromium', () => {
  it('logs in, waits for the start, writes with æøå, sees "Gemt", reloads, finds the text, hands in and gets a matching receipt', async () => {
    const text = 'Det var en kold morgen ved søen, og ællingerne frøs på åen.';
    try {
      await signIn(page, server.url, 'elev01', 'elev-demo');
      await page.waitForSelector('.countdown', { timeout: 15_000 });
      await screenshot(page, 'candidate-lobby');

      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      await page.click('.answer-editor');
      await page.keyboard.type(text, { delay: 5 });
      await page.waitForFunction(() => /Gemt \d{2}[.:]\d{2}[.:]\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });
      await screenshot(page, 'candidate-exam');

      await page.reload();
      await page.waitForSelector('.answer-editor', { timeout: 20_000 });
      await page.waitForFunction((t) => document.querySelector('.answer-editor')?.textContent?.includes(t), text, { timeout: 10_000 });
      await page.waitForFunction(() => /Gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });

      await page.click('#hand-in');
      await page.check('#honour');
      await page.click('#confirm-hand-in');
      await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
      await screenshot(page, 'candidate-receipt');
      const shown = (await page.textContent('#receipt-sha256'))!.trim();

      const { rows } = await database.db.query(
        `SELECT s.text_sha256, s.plain_text FROM submissions s JOIN registrations r ON r.id = s.registration_id
           JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = 'elev01'`);
      expect(rows).toHaveLength(1);
      expect(rows[0].plain_text).toBe(text);
      expect(shown).toBe(rows[0].text_sha256);
      expect(shown).toBe(createHash('sha256').update(text).digest('hex'));
    } catch (err) {
      await screenshot(page, 'candidate-failure');
      throw err;
    }
  });
});
