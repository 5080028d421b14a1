import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
let pupil: Page;
let invigilator: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 8, lockdownProfile: 'browser_fullscreen' });
  pupil = await demo.page();
  await pupil.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.server.url });
  invigilator = await demo.page({ viewport: { width: 1400, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

const storedEvents = async () =>
  (
    await demo.database.db.query(
      "SELECT e.type FROM lockdown_events e JOIN registrations r ON r.id = e.registration_id WHERE r.exam_number LIKE '%-0001' ORDER BY e.id",
    )
  ).rows.map((r) => r.type);

describe('in-browser lockdown in Chromium', () => {
  it('requires fullscreen; leaving it and losing focus are reported to the invigilator; outside paste is blocked, own paste works', async () => {
    try {
      await signIn(invigilator, demo.server.url, 'tilsyn1', 'tilsyn-demo');
      await invigilator.click('text=Lokale 1');
      await invigilator.waitForSelector('tr:has-text("S1-0001")');

      await signIn(pupil, demo.server.url, 'elev01', 'elev-demo');
      await pupil.waitForSelector('.answer-editor', { timeout: 40_000 });
      // Not in fullscreen: the editor is blocked behind the overlay.
      await pupil.waitForSelector('#enter-fullscreen', { state: 'visible' });
      expect(await pupil.getAttribute('.answer-editor', 'contenteditable')).toBe('false');
      await pupil.click('#enter-fullscreen');
      await pupil.waitForSelector('.answer-editor[contenteditable="true"]');

      await pupil.click('.answer-editor');
      await pupil.keyboard.type('Min egen sætning.');
      // Own text: select it, copy, paste (the real keys and clipboard) → accepted.
      await pupil.keyboard.press('Control+A');
      await pupil.keyboard.press('Control+C');
      await pupil.keyboard.press('Control+V'); // pasted over the selection: same text, cursor now at the end
      await pupil.keyboard.press('Control+V'); // appended
      await pupil.waitForFunction(() => (document.querySelector('.answer-editor')!.textContent ?? '').split('Min egen sætning.').length === 3, null, {
        timeout: 10_000,
      });
      // Text from outside the exam (put on the clipboard by another program): refused and reported.
      await pupil.evaluate(() => navigator.clipboard.writeText('Kopieret fra nettet'));
      await pupil.keyboard.press('Control+V');
      await pupil.waitForTimeout(300);
      expect(await pupil.textContent('.answer-editor')).not.toContain('Kopieret fra nettet');

      await pupil.evaluate(() => document.exitFullscreen());
      await pupil.waitForSelector('#enter-fullscreen', { state: 'visible' });
      await pupil.evaluate(() => {
        window.dispatchEvent(new FocusEvent('blur'));
        window.dispatchEvent(new FocusEvent('focus'));
      });

      await expect.poll(storedEvents, { timeout: 10_000 }).toEqual(expect.arrayContaining(['paste_blocked', 'left_fullscreen', 'focus_lost']));
      // Pushed to the invigilator's live room as they happen.
      await invigilator.waitForSelector('.feed >> text=/forlod fuld skærm/', { timeout: 10_000 });
      await invigilator.waitForSelector('.feed >> text=/indsæt blokeret/', { timeout: 10_000 });
      await invigilator.waitForSelector('.feed >> text=/mistede fokus/', { timeout: 10_000 });
      await screenshot(invigilator, 'invigilator-lockdown');
    } catch (err) {
      await screenshot(pupil, 'lockdown-pupil-failure');
      await screenshot(invigilator, 'lockdown-invigilator-failure');
      throw err;
    }
  });
});
