import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
let pupil: Page;
let invigilator: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 8 });
  pupil = await demo.page();
  invigilator = await demo.page({ viewport: { width: 1400, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

describe("the invigilator's live room in Chromium", () => {
  it("sees the demo room live, gives a candidate 10 minutes of extra time, the pupil's page shows the new end without reloading, and the pupil leaving shows red within 5 s", async () => {
    try {
      await signIn(pupil, demo.server.url, 'elev01', 'elev-demo');
      await pupil.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      const endBefore = (await pupil.textContent('#ends-at'))!;

      await signIn(invigilator, demo.server.url, 'tilsyn1', 'tilsyn-demo');
      await invigilator.click('text=Lokale 1');
      await invigilator.waitForSelector('tr[data-registration] >> text=S1-0001');
      // Live: the pupil shows as connected (pushed, no reload).
      await invigilator.waitForSelector('tr:has-text("S1-0001") >> text=Forbundet', { timeout: 10_000 });
      await screenshot(invigilator, 'invigilator-room');

      await invigilator.click('tr:has-text("S1-0001") >> button:has-text("Handlinger")');
      await invigilator.click('button[data-action="extra-time"]');
      await invigilator.fill('#f-minutes', '10');
      await invigilator.fill('#f-reason', 'Forsinket start pga. teknik');
      await invigilator.click('#action-submit');
      await invigilator.waitForSelector('tr:has-text("S1-0001") >> text=(+10)', { timeout: 10_000 });

      await pupil.waitForFunction((before) => document.querySelector('#ends-at')?.textContent !== before, endBefore, { timeout: 10_000 });
      const endAfter = (await pupil.textContent('#ends-at'))!;
      const minutes = (s: string) => {
        const [hh, mm] = s
          .match(/(\d{2})[.:](\d{2})/)!
          .slice(1)
          .map(Number);
        return hh * 60 + mm;
      };
      expect((minutes(endAfter) - minutes(endBefore) + 1440) % 1440).toBe(10);
      await screenshot(pupil, 'candidate-extra-time');

      // The pupil's laptop goes away: the row turns red with the time, and screen readers hear it.
      const t0 = Date.now();
      await pupil.close();
      await invigilator.waitForSelector('tr:has-text("S1-0001") .badge.bad:has-text("Afbrudt siden")', { timeout: 5_000 });
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(await invigilator.textContent('tr:has-text("S1-0001") .badge.bad')).toMatch(/^Afbrudt siden \d{2}:\d{2}:\d{2}$/);
      expect(await invigilator.textContent('#announcer')).toContain('har mistet forbindelsen');
      await screenshot(invigilator, 'invigilator-disconnected');
    } catch (err) {
      await screenshot(invigilator, 'invigilator-failure');
      await screenshot(pupil, 'candidate-extra-time-failure');
      throw err;
    }
  });

  it('a pupil who hands in and closes the page is no alarm: the row says when they left, the feed says so calmly', async () => {
    const pupil2 = await demo.page();
    try {
      await signIn(pupil2, demo.server.url, 'elev02', 'elev-demo');
      await pupil2.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      await invigilator.waitForSelector('tr:has-text("S1-0002") >> text=Forbundet', { timeout: 10_000 });
      await pupil2.click('.answer-editor');
      await pupil2.keyboard.type('Færdig før tid.');
      await pupil2.click('#hand-in');
      await pupil2.click('#honour');
      await pupil2.click('#confirm-hand-in');
      await pupil2.waitForSelector('#receipt-sha256', { timeout: 20_000 });
      await invigilator.waitForSelector('tr:has-text("S1-0002") .badge.state-handed_in', { timeout: 5_000 });
      await pupil2.close();
      await invigilator.waitForSelector('tr:has-text("S1-0002") .badge.muted:has-text("Gik")', { timeout: 5_000 });
      expect(await invigilator.getAttribute('tr:has-text("S1-0002")', 'class')).not.toContain('row-alert');
      expect(await invigilator.$('tr:has-text("S1-0002") .badge.bad')).toBeNull();
      await invigilator.waitForSelector('ol.feed li:has-text("S1-0002"):has-text("har lukket siden")', { timeout: 5_000 });
      expect(await invigilator.$('ol.feed li.urgent:has-text("S1-0002")')).toBeNull();
    } catch (err) {
      await screenshot(invigilator, 'invigilator-handed-in-failure');
      throw err;
    }
  });
});
