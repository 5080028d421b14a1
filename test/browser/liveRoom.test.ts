import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

/**
 * The invigilator's live room as a keyboard and screen-reader user meets it (docs/accessibility.md "The
 * invigilator"), with the demo: `elev01` is S1-0001 in "Lokale 1", watched by `tilsyn1`.
 */
let demo: Demo;
let pupil: Page;
let invigilator: Page;

beforeAll(async () => {
  // Long enough to see the pupil in the lobby before the start.
  demo = await startDemo({ startsInSeconds: 40 });
  pupil = await demo.page();
  invigilator = await demo.page({ viewport: { width: 1400, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

/** A pupil's row; its cells by column: 5 "Sidst gemt", 6 "Ord". */
const row = (examNumber: string) => `tr:has-text("${examNumber}")`;
const actionsOf = (examNumber: string) => `${row(examNumber)} button:has-text("Handlinger")`;
/** What has focus, described well enough to compare: tag, text, and the exam row it sits in. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName ?? null, text: el?.textContent?.trim() ?? '', row: el?.closest('tr')?.dataset.registration ?? null, id: el?.id ?? '' };
  });
const registrationOf = (page: Page, examNumber: string) => page.getAttribute(row(examNumber), 'data-registration');
/** Presses `key` until `probe` holds for the focused element (keyboard only: no clicks, no element.focus()). */
async function pressUntil(page: Page, key: string, probe: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(probe)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`focus never reached ${probe} with ${key}; focused: ${JSON.stringify(await focused(page))}`);
}
const focusIsActionsOf = (registrationId: string) =>
  `document.activeElement?.textContent === 'Handlinger' && document.activeElement.closest('tr')?.dataset.registration === '${registrationId}'`;

describe("the invigilator's live room: presence, focus and announcements", () => {
  it('opening a room moves focus to its heading, gives it its own title and announces it; a pupil waiting in the lobby shows as connected', async () => {
    try {
      await signIn(pupil, demo.server.url, 'elev01', 'elev-demo');
      await pupil.waitForSelector('#countdown', { timeout: 20_000 });

      await signIn(invigilator, demo.server.url, 'tilsyn1', 'tilsyn-demo');
      await invigilator.click('text=Lokale 1');
      await invigilator.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent?.includes('Lokale 1'));
      expect(await invigilator.title()).toMatch(/^Tilsyn: Lokale 1 · .+ – Prøvesal$/);
      expect(await invigilator.textContent('#announcer')).toContain('Lokale 1');

      // Still before the start: the pupil in the lobby is present and connected, not "Ikke set".
      expect(await pupil.$('.answer-editor')).toBeNull();
      await invigilator.waitForSelector(`${row('S1-0001')} >> text=Forbundet`, { timeout: 10_000 });
      expect(await invigilator.textContent(`${row('S1-0001')} .badge.state-lobby`)).toBe('Venter');
      await screenshot(invigilator, 'live-room-lobby');
    } catch (err) {
      await screenshot(invigilator, 'live-room-open-failure');
      throw err;
    }
  });

  it('focus on another row’s "Handlinger" stays there while a pupil types and the room updates', async () => {
    try {
      await pupil.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 60_000 });
      const other = (await registrationOf(invigilator, 'S1-0002'))!;
      await invigilator.focus(actionsOf('S1-0002'));
      await pupil.click('.answer-editor');
      await pupil.keyboard.type('Et to tre fire fem', { delay: 40 });
      // The room has updated S1-0001's row at least once while focus sat on S1-0002's button…
      await invigilator.waitForSelector(`${row('S1-0001')} td:nth-child(6):not(:text-is("0"))`, { timeout: 15_000 });
      expect(await invigilator.evaluate(focusIsActionsOf(other))).toBe(true);
      // …and "Ord" follows the pupil's screen within 2 s of its "Gemt" (docs/rules.md §5), focus still in place.
      await pupil.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 10_000 });
      await invigilator.waitForSelector(`${row('S1-0001')} td:nth-child(6):text-is("5")`, { timeout: 2_500 });
      expect(await invigilator.evaluate(focusIsActionsOf(other))).toBe(true);
    } catch (err) {
      await screenshot(invigilator, 'live-room-focus-failure');
      throw err;
    }
  });

  it('the action dialogs are named by their heading and give focus back to "Handlinger" when closed', async () => {
    try {
      const other = (await registrationOf(invigilator, 'S1-0002'))!;
      await invigilator.focus(actionsOf('S1-0002'));
      await invigilator.keyboard.press('Enter');
      const chooserName = await invigilator.evaluate(() => {
        const d = document.querySelector('dialog[open]');
        return document.getElementById(d?.getAttribute('aria-labelledby') ?? '')?.textContent ?? null;
      });
      expect(chooserName).toContain('S1-0002');
      await invigilator.keyboard.press('Escape');
      await invigilator.waitForFunction(focusIsActionsOf(other));

      // The chosen action's own dialog also returns focus to the row's button.
      await invigilator.keyboard.press('Enter');
      await pressUntil(invigilator, 'Tab', `document.activeElement?.dataset.action === 'absent'`);
      await invigilator.keyboard.press('Enter');
      const dialogName = await invigilator.evaluate(() => {
        const d = document.querySelector('dialog[open]');
        return document.getElementById(d?.getAttribute('aria-labelledby') ?? '')?.textContent ?? null;
      });
      expect(dialogName).toMatch(/^Meld fraværende\/syg – S1-0002 /);
      expect((await focused(invigilator)).id).toBe('f-reason');
      await invigilator.keyboard.press('Escape');
      await invigilator.waitForFunction(focusIsActionsOf(other));
      expect(await invigilator.$('dialog[open]')).toBeNull();

      // A room-wide dialog returns focus to the room's button that opened it.
      await pressUntil(invigilator, 'Shift+Tab', `document.activeElement?.textContent === 'Hændelsesnotat'`);
      await invigilator.keyboard.press('Enter');
      expect(
        await invigilator.evaluate(() => document.getElementById(document.querySelector('dialog[open]')?.getAttribute('aria-labelledby') ?? '')?.textContent),
      ).toBe('Hændelsesnotat');
      await invigilator.keyboard.press('Escape');
      await invigilator.waitForFunction(() => document.activeElement?.textContent === 'Hændelsesnotat' && !document.querySelector('dialog[open]'));
    } catch (err) {
      await screenshot(invigilator, 'live-room-dialog-failure');
      throw err;
    }
  });

  it('gives a pupil extra time by keyboard alone (Tab, Enter, typing), with visible focus, and says it is done', async () => {
    try {
      const id = (await registrationOf(invigilator, 'S1-0001'))!;
      await pressUntil(invigilator, 'Shift+Tab', focusIsActionsOf(id));
      const outline = await invigilator.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
      await invigilator.keyboard.press('Enter');
      await pressUntil(invigilator, 'Tab', `document.activeElement?.dataset.action === 'extra-time'`);
      await invigilator.keyboard.press('Enter');
      expect((await focused(invigilator)).id).toBe('f-minutes');
      await invigilator.keyboard.press('Control+A');
      await invigilator.keyboard.type('7');
      await invigilator.keyboard.press('Tab');
      expect((await focused(invigilator)).id).toBe('f-reason');
      await invigilator.keyboard.type('Ordblind, aftalt med skolen');
      await pressUntil(invigilator, 'Tab', `document.activeElement?.id === 'action-submit'`);
      await invigilator.keyboard.press('Enter');
      await invigilator.waitForSelector(`${row('S1-0001')} >> text=(+7)`, { timeout: 10_000 });
      await invigilator.waitForFunction(focusIsActionsOf(id));
      expect(await invigilator.textContent('#announcer')).toMatch(/^Udført: Giv ekstra tid – S1-0001/);
      await screenshot(invigilator, 'live-room-keyboard-extra-time');
    } catch (err) {
      await screenshot(invigilator, 'live-room-keyboard-failure');
      throw err;
    }
  });

  it('the event feed survives a reload: the extra time is still listed after the room is opened again', async () => {
    try {
      await invigilator.waitForSelector('ol.feed li:has-text("S1-0001"):has-text("har fået ekstra tid")', { timeout: 5_000 });
      await invigilator.reload();
      await invigilator.click('text=Lokale 1');
      await invigilator.waitForSelector('ol.feed li:has-text("S1-0001"):has-text("har fået ekstra tid")', { timeout: 10_000 });
      expect(await invigilator.$$eval('ol.feed li:has-text("har fået ekstra tid")', (li) => li.length)).toBe(1);
    } catch (err) {
      await screenshot(invigilator, 'live-room-feed-failure');
      throw err;
    }
  });
});
