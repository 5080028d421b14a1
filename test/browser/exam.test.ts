import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
afterAll(async () => {
  await demo?.stop();
});

describe('a pupil sits the demo exam in Chromium', () => {
  it('logs in, waits for the start, writes with æøå, sees "Gemt", reloads, finds the text, hands in and gets a matching receipt', async () => {
    const text = 'Det var en kold morgen ved søen, og ællingerne frøs på åen.';
    try {
      await signIn(page, demo.server.url, 'elev01', 'elev-demo');
      // The lobby counts down by the server clock: mm:ss, then the exam opens without a reload.
      await page.waitForFunction(() => /^\d{2}:\d{2}$/.test(document.querySelector('#countdown')?.textContent ?? ''), null, { timeout: 15_000 });
      await screenshot(page, 'candidate-lobby');

      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      await page.click('.answer-editor');
      await page.keyboard.type(text, { delay: 5 });
      await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });
      await screenshot(page, 'candidate-exam');

      await page.reload();
      await page.waitForSelector('.answer-editor', { timeout: 20_000 });
      await page.waitForFunction((t) => document.querySelector('.answer-editor')?.textContent?.includes(t), text, { timeout: 10_000 });
      await page.waitForFunction(() => /Gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });

      // Escape cancels the dialog; handing in needs the honour declaration ticked.
      await page.click('#hand-in');
      await page.waitForSelector('dialog[open] >> text=Jeg erklærer på tro og love');
      expect(await page.isDisabled('#confirm-hand-in')).toBe(true);
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog', { state: 'detached' });
      await page.click('#hand-in');
      await page.keyboard.press('Space'); // focus starts on the checkbox
      expect(await page.isChecked('#honour')).toBe(true);
      await page.click('#confirm-hand-in');
      await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
      await screenshot(page, 'candidate-receipt');
      const shown = (await page.textContent('#receipt-sha256'))!.trim();
      // The read-only copy below the receipt is shown only because it hashes to the receipt's SHA-256.
      await page.waitForSelector('.answer-copy-text [contenteditable="false"]', { timeout: 10_000 });
      expect(await page.textContent('.answer-copy-text')).toContain(text);

      // The signed PDF (the official copy) can be fetched from the receipt once the queue has made it.
      let pdf: Buffer | null = null;
      for (let i = 0; i < 10 && !pdf; i++) {
        const download = page.waitForEvent('download', { timeout: 3_000 }).catch(() => null);
        await page.click('#download-pdf');
        const d = await download;
        if (d) pdf = readFileSync((await d.path())!);
      }
      expect(pdf!.subarray(0, 5).toString()).toBe('%PDF-');

      const { rows } = await demo.database.db.query(
        `SELECT s.text_sha256, s.plain_text FROM submissions s JOIN registrations r ON r.id = s.registration_id
           JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = 'elev01'`,
      );
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
