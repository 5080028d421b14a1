import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
let page: Page;

beforeAll(async () => {
  // The demo starts 5 minutes after start-up; a test need not wait that long.
  demo = await startDemo({ startsInSeconds: 12 });
  page = await demo.page();
});
afterAll(async () => { await demo?.stop(); });

describe('a pupil sits the demo exam in Chromium', () => {
  it('logs in, waits for the start, writes with æøå, sees "Gemt", reloads, finds the text, hands in and gets a matching receipt', async () => {
    const text = 'Det var en kold morgen ved søen, og ællingerne frøs på åen.';
    try {
      await signIn(page, demo.server.url, 'elev01', 'elev-demo');
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

      const { rows } = await demo.database.db.query(
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
