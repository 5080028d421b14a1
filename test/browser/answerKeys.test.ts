import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/browser.ts';
import { scenario } from './support/answerSocket.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { tabsTo, transitionState, waitForFocus } from './support/focus.ts';

// docs/accessibility.md, "The pupil": the toolbar is one Tab stop, toggles say their state, and Tab never changes
// the answer without saying so; Escape then Tab always leaves the editor.
let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
  page = await demo.page();
  await signIn(page, demo.server.url, 'elev03', 'elev-demo');
  await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
  await waitForFocus(page, '#exam-title');
});
afterAll(async () => {
  await demo?.stop();
});

const rows = () => page.locator('.answer-editor table tr').count();

describe('the answer by keyboard alone (Chromium)', () => {
  it('the toolbar is one Tab stop with arrow keys, Home and End; toggles expose aria-pressed; the header’s "Høj kontrast" too', async () => {
    await scenario(
      'answer-keys-toolbar',
      () => [],
      async () => {
        const fromHeading = await tabsTo(page, '.toolbar button');
        expect(await page.locator('.toolbar button[tabindex="0"]').count()).toBe(1);
        expect(await page.locator('.toolbar button[tabindex="-1"]').count()).toBe(12);
        // The very next Tab is the answer: thirteen buttons are not thirteen stops.
        await page.keyboard.press('Tab');
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        expect(fromHeading + 1).toBeLessThanOrEqual(8);

        await page.keyboard.press('Alt+F10');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overskrift');
        await page.keyboard.press('ArrowRight');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Fed');
        await page.keyboard.press('End');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gentag');
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowLeft'); // wraps round
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gentag');
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowRight');
        // Bold is a toggle: pressing it says so through aria-pressed, and the roving stop stays where it was used.
        expect(await page.getAttribute('.toolbar button:has-text("Fed")', 'aria-pressed')).toBe('false');
        await page.keyboard.press('Enter');
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        await page.keyboard.type('fed');
        expect(await page.getAttribute('.toolbar button:has-text("Fed")', 'aria-pressed')).toBe('true');
        expect(await page.getAttribute('.toolbar button:has-text("Fed")', 'tabindex')).toBe('0');
        expect(await page.getAttribute('.toolbar button:has-text("Undo"), .toolbar button:has-text("Fortryd")', 'aria-pressed')).toBeNull();
        await page.keyboard.press('Control+B');

        const contrast = page.locator('header.topbar button:has-text("Høj kontrast")');
        expect(await contrast.getAttribute('aria-pressed')).toBe('false');
        await contrast.click();
        expect(await contrast.getAttribute('aria-pressed')).toBe('true');
        await contrast.click();
        expect(await contrast.getAttribute('aria-pressed')).toBe('false');
      },
    );
  });

  it('Tab in a table never adds a row; the last cell says so; Escape then Tab leaves the editor; "Tilføj række" is announced', async () => {
    await scenario(
      'answer-keys-table',
      () => [page],
      async () => {
        await page.click('.answer-editor');
        await page.keyboard.press('Control+End');
        await page.keyboard.press('Enter');
        await page.click('.toolbar button:has-text("Indsæt tabel")');
        expect(await rows()).toBe(3);
        expect((await transitionState(page)).announced).toBe('Tabel med 3 rækker og 3 kolonner indsat.');
        for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
        expect(await rows()).toBe(3); // 9 cells: the 4 presses past the last cell added nothing
        const atEnd = await transitionState(page);
        expect(atEnd.active).toBe('div#answer-editor');
        expect(atEnd.announced).toContain('Sidste celle i tabellen. Der er ikke tilføjet en række.');

        await page.keyboard.press('Escape');
        expect((await transitionState(page)).announced).toBe('Tryk Tab for at forlade besvarelsen, eller skriv videre.');
        await page.keyboard.press('Tab');
        const left = await transitionState(page);
        expect(left.active).not.toBe('div#answer-editor');
        expect(await rows()).toBe(3);
        // Back into the table with Escape, Shift+Tab the other way: also out in one go.
        await page.click('.answer-editor td >> nth=1');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Shift+Tab');
        expect((await transitionState(page)).active).not.toBe('div#answer-editor');

        await page.click('.answer-editor td >> nth=1');
        await page.click('.toolbar button:has-text("Tilføj række")');
        expect(await rows()).toBe(4);
        expect((await transitionState(page)).announced).toBe('Række tilføjet.');

        // The keys are documented where the pupil is: the editor is described by the visible key help.
        const help = await page.getAttribute('.answer-editor', 'aria-describedby');
        expect(await page.textContent(`#${help}`)).toContain('forlader besvarelsen');
      },
    );
  });
});
