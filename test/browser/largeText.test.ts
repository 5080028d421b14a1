import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { scenario } from './support/answerSocket.ts';
import { startDemo, type Demo } from './support/demo.ts';

// docs/accessibility.md, "The pupil": at 1024×768 with the largest text size at least 10 lines of the answer are
// in sight, and the question paper folds away with a disclosure button.
let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
  page = await demo.page({ viewport: { width: 1024, height: 768 } });
});
afterAll(async () => {
  await demo?.stop();
});

/** Whole lines of the answer that are in sight: its content box, cut by its scrolling pane and by the window. */
const visibleLines = () =>
  page.evaluate(() => {
    const editor = document.querySelector<HTMLElement>('.answer-editor')!;
    const style = getComputedStyle(editor);
    const r = editor.getBoundingClientRect();
    const pane = editor.parentElement!.getBoundingClientRect();
    const top = Math.max(r.top + parseFloat(style.paddingTop), pane.top, 0);
    const bottom = Math.min(r.bottom - parseFloat(style.paddingBottom), pane.bottom, innerHeight);
    return Math.floor((bottom - top) / parseFloat(style.lineHeight));
  });

/** Whether the text `t` in the answer is wholly in sight (inside the window and its pane, not under anything). */
const inSight = (t: string) =>
  page.evaluate((text) => {
    const editor = document.querySelector<HTMLElement>('.answer-editor')!;
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent!.indexOf(text);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + text.length);
      const r = range.getBoundingClientRect();
      const pane = editor.parentElement!.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 2, r.top + r.height / 2);
      return r.top >= Math.max(0, pane.top) && r.bottom <= Math.min(innerHeight, pane.bottom) && !!hit && editor.contains(hit);
    }
    return false;
  }, t);

describe('the answer with the largest text at 1024×768 (Chromium)', () => {
  it('shows at least 10 lines of the answer, with the paper beside it and folded away; the fold is a disclosure', async () => {
    await scenario(
      'large-text',
      () => [page],
      async () => {
        await signIn(page, demo.server.url, 'elev05', 'elev-demo');
        await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
        const largest = await page.$$eval('#text-size option', (os) => (os.at(-1) as HTMLOptionElement).value);
        await page.selectOption('#text-size', largest);
        expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('23px');
        await page.waitForSelector('.paper-text, .paper-pdf', { timeout: 20_000 });

        // Ten lines of text (line breaks within one paragraph), typed from the top of the answer.
        await page.click('.answer-editor');
        for (let i = 1; i <= 10; i++) {
          await page.keyboard.type(`Linje ${i}`);
          if (i < 10) await page.keyboard.press('Shift+Enter');
        }
        await page.evaluate(() => document.querySelector('.editor-mount')!.scrollTo(0, 0));
        await screenshot(page, 'large-text-paper-shown');
        expect(await visibleLines()).toBeGreaterThanOrEqual(10);
        expect(await inSight('Linje 1')).toBe(true);
        expect(await inSight('Linje 10')).toBe(true);
        expect(await page.isVisible('#paper-slot')).toBe(true);

        const fold = page.locator('#fold-paper');
        expect(await fold.getAttribute('aria-expanded')).toBe('true');
        expect(await fold.getAttribute('aria-controls')).toBe('paper-slot');
        const narrow = (await page.locator('.answer-editor').boundingBox())!.width;
        await fold.focus();
        await page.keyboard.press('Enter');
        expect(await fold.getAttribute('aria-expanded')).toBe('false');
        expect(await page.isHidden('#paper-slot')).toBe(true);
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('fold-paper');
        expect((await page.locator('.answer-editor').boundingBox())!.width).toBeGreaterThan(narrow * 1.4);
        expect(await visibleLines()).toBeGreaterThanOrEqual(10);
        expect(await inSight('Linje 10')).toBe(true);
        await screenshot(page, 'large-text-paper-folded');

        // The choice lasts the tab's reload; unfolding brings the paper back.
        await page.reload();
        await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 20_000 });
        expect(await page.getAttribute('#fold-paper', 'aria-expanded')).toBe('false');
        await page.click('#fold-paper');
        expect(await page.getAttribute('#fold-paper', 'aria-expanded')).toBe('true');
        expect(await page.isVisible('#paper-slot')).toBe(true);
      },
    );
  });
});
