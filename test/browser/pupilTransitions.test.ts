import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/browser.ts';
import { scenario } from './support/answerSocket.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { transitionState, waitForFocus } from './support/focus.ts';

// docs/accessibility.md, "The pupil": each view change moves focus to the new heading, gives the view its own
// title and says what happened through #announcer, so a blind pupil knows the exam began and the hand-in worked.
let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 12 });
  page = await demo.page();
});
afterAll(async () => {
  await demo?.stop();
});

describe('a screen-reader pupil moves from lobby to exam to receipt (Chromium)', () => {
  it('at the start, focus lands on the exam heading, the title names the exam and "Prøven er startet" is announced', async () => {
    await scenario(
      'transition-start',
      () => [],
      async () => {
        await signIn(page, demo.server.url, 'elev01', 'elev-demo');
        await waitForFocus(page, '#lobby-heading');
        const lobby = await transitionState(page);
        expect(lobby.title).toBe('Venteværelse: Dansk – skriftlig fremstilling – Prøvesal');
        await page.waitForFunction(() => /minut(ter)? til start/.test(document.getElementById('announcer')?.textContent ?? ''), null, { timeout: 5_000 });

        await page.waitForSelector('.answer-editor', { timeout: 40_000 });
        await waitForFocus(page, '#exam-title');
        const exam = await transitionState(page);
        expect(exam.active).toBe('h1#exam-title');
        expect(exam.activeText).toBe('Dansk – skriftlig fremstilling');
        expect(exam.title).toBe('Prøve i gang: Dansk – skriftlig fremstilling – Prøvesal');
        expect(exam.announced).toBe('Prøven er startet. Opgavesættet og din besvarelse er åbne.');
        // Only one polite live region on the page: the lobby's own is gone.
        expect(await page.locator('[aria-live="polite"]').count()).toBe(1);
      },
    );
  });

  it('the hand-in dialog is named, gives focus back to "Aflever…" when cancelled, and the receipt is focused, titled and announced', async () => {
    await scenario(
      'transition-hand-in',
      () => [page],
      async () => {
        await page.click('.answer-editor');
        await page.keyboard.type('Kort svar.');
        await page.waitForFunction(() => /Gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });

        await page.focus('#hand-in');
        await page.keyboard.press('Enter');
        await page.waitForSelector('dialog[open]');
        const labelledBy = await page.getAttribute('dialog[open]', 'aria-labelledby');
        expect(await page.textContent(`#${labelledBy}`)).toBe('Aflever besvarelsen');
        await page.keyboard.press('Escape');
        await page.waitForSelector('dialog', { state: 'detached' });
        const cancelled = await transitionState(page);
        expect(cancelled.active).toBe('button#hand-in');
        expect(cancelled.announced).toBe('Ikke afleveret. Du kan skrive videre.');

        await page.keyboard.press('Enter');
        await page.keyboard.press('Space'); // focus starts on the honour declaration
        await page.click('#confirm-hand-in');
        await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
        await waitForFocus(page, '#receipt-title');
        const receipt = await transitionState(page);
        expect(receipt.active).toBe('h1#receipt-title');
        expect(receipt.title).toBe('Kvittering: Dansk – skriftlig fremstilling – Prøvesal');
        const code = (await page.textContent('#receipt-code'))!.trim();
        expect(receipt.announced).toBe(`Din besvarelse er afleveret og gemt. Kvitteringskode ${code}.`);
      },
    );
  });
});
