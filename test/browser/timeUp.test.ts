import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;

beforeAll(async () => {
  // A short grace so the automatic hand-in comes within the test's patience (default 30 s).
  demo = await startDemo({ startsInSeconds: 0, env: { ANSWER_GRACE_SECONDS: '2' } });
  // The sitting has been running for all but its last 15 seconds.
  await demo.database.db.query(`UPDATE sittings SET starts_at = now() - make_interval(mins => duration_minutes) + interval '15 seconds'`);
});
afterAll(async () => {
  await demo?.stop();
});

describe('the end of the exam in Chromium', () => {
  it('counts the last seconds, stops writing with "Tiden er gået" at the end, and shows the automatic hand-in receipt without a reload', async () => {
    const page = await demo.page();
    try {
      await signIn(page, demo.server.url, 'elev06', 'elev-demo');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 20_000 });
      expect(await page.textContent('#remaining')).toMatch(/^00:\d{2} tilbage$/);
      expect(await page.getAttribute('#remaining', 'class')).toContain('soon');
      await page.click('.answer-editor');
      await page.keyboard.type('Sidste sætning før tiden går.');
      await page.waitForFunction(() => /Gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 10_000 });

      await page.waitForSelector('#exam-banner >> text=Tiden er gået', { timeout: 30_000 });
      expect(await page.getAttribute('.answer-editor', 'contenteditable')).toBe('false');
      await screenshot(page, 'candidate-time-up');
      await page.waitForSelector('#receipt-sha256', { timeout: 30_000 });
      const { rows } = await demo.database.db.query(
        `SELECT s.text_sha256, s.plain_text FROM submissions s JOIN registrations r ON r.id = s.registration_id
           JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = 'elev06'`,
      );
      expect(rows[0].plain_text).toBe('Sidste sætning før tiden går.');
      expect((await page.textContent('#receipt-sha256'))!.trim()).toBe(rows[0].text_sha256);
    } catch (err) {
      await screenshot(page, 'time-up-failure');
      throw err;
    }
  });
});
