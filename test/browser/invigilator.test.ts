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
afterAll(async () => { await demo?.stop(); });

describe('the invigilator\'s live room in Chromium', () => {
  it('sees the demo room live, gives a candidate 10 minutes of extra time, the pupil\'s page shows the new end without reloading, and the pupil leaving shows red within 5 s', async () => {
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
      const minutes = (s: string) => { const [hh, mm] = s.match(/(\d{2})[.:](\d{2})/)!.slice(1).map(Number); return hh * 60 + mm; };
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
});
