import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 15 });
});
afterAll(async () => {
  await demo?.stop();
});

const copenhagen = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
const seconds = (hms: string) => {
  const [h, m, s] = hms.split(':').map(Number);
  return h * 3600 + m * 60 + s;
};

describe('a laptop whose clock is wrong (Chromium)', () => {
  it('an hour fast changes nothing: the lobby counts down to the real start, the exam opens at it, and "Gemt" shows the server\'s time', async () => {
    const page = await demo.page();
    await page.addInitScript(() => {
      const RealDate = Date;
      const offset = 3600_000;
      class WrongClock extends RealDate {
        constructor(...args: []) {
          if (args.length === 0) super(RealDate.now() + offset);
          else super(...(args as []));
        }
        static now() {
          return RealDate.now() + offset;
        }
      }
      (globalThis as { Date: DateConstructor }).Date = WrongClock as DateConstructor;
    });
    try {
      const startsAt = Number((await demo.database.db.query('SELECT extract(epoch FROM min(starts_at)) * 1000 AS ms FROM sittings')).rows[0].ms);
      await signIn(page, demo.server.url, 'elev09', 'elev-demo');
      await page.waitForFunction(() => /^\d{2}:\d{2}$/.test(document.querySelector('#countdown')?.textContent ?? ''), null, { timeout: 15_000 });
      const [mm, ss] = (await page.textContent('#countdown'))!.split(':').map(Number);
      const shown = mm * 60 + ss;
      const real = (startsAt - Date.now()) / 1000;
      expect(Math.abs(shown - real)).toBeLessThan(3);

      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
      expect(Date.now()).toBeGreaterThanOrEqual(startsAt);
      await page.click('.answer-editor');
      await page.keyboard.type('Mit ur går forkert.');
      await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });
      const saved = (await page.textContent('#save-state'))!.match(/\d{2}:\d{2}:\d{2}/)![0];
      const diff = Math.abs(seconds(saved) - seconds(copenhagen(Date.now())));
      expect(Math.min(diff, 86400 - diff)).toBeLessThan(10);
    } catch (err) {
      await screenshot(page, 'clock-skew-failure');
      throw err;
    }
  });
});
