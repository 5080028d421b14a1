import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

/** Simple writing mode (docs/rules.md §13, docs/accessibility.md "Enkel skrivning"). */
let demo: Demo;
const EXTENSION = path.resolve('test/browser/fixtures/rewriter');

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 8 });
  await demo.database.db.query(
    `UPDATE registrations r SET simple_writing = true FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE c.id = r.candidate_id AND u.username IN ('elev02', 'elev03')`,
  );
});
afterAll(async () => {
  await demo?.stop();
});

const registrationOf = async (username: string) =>
  (
    await demo.database.db.query(
      `SELECT r.id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
      [username],
    )
  ).rows[0].id as number;
const savedState = (page: Page) => page.waitForFunction(() => /Gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });
const areaValues = (page: Page) => page.$$eval('textarea.simple-paragraph', (els) => els.map((e) => (e as HTMLTextAreaElement).value));
const richParagraphs = (page: Page) => page.$$eval('.answer-editor > *', (els) => els.map((e) => e.textContent));

async function openExam(page: Page, username: string): Promise<void> {
  await signIn(page, demo.server.url, username, 'elev-demo');
  await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
  await page.waitForSelector('#simple-switch');
}

/**
 * The caret to the end of the answer, once ProseMirror has read it there: a click right after the editor is shown
 * again can land before the document is bound, leaving the caret at the start.
 */
async function caretToEnd(page: Page): Promise<void> {
  await page.focus('.answer-editor');
  await page.keyboard.press('Control+End');
  await page.waitForFunction(() => {
    type View = { editor: { state: { selection: { from: number }; doc: { content: { size: number } } } } };
    const { state } = (document.querySelector('#answer-editor') as unknown as View).editor;
    return state.selection.from === state.doc.content.size - 1;
  });
}

describe('simple writing mode', () => {
  it('writes paragraphs in text areas, switches to the rich editor and back with the same text, and saves', async () => {
    const page = await demo.page();
    try {
      await openExam(page, 'elev02');
      expect(await page.getAttribute('#simple-switch', 'aria-pressed')).toBe('false');
      await page.click('#simple-switch');
      await page.waitForSelector('label[for="simple-block-1"] >> text=Afsnit 1');
      await page.click('#simple-block-1');
      await page.keyboard.type('Første afsnit om søen.', { delay: 5 });
      await page.keyboard.press('Enter');
      await page.waitForSelector('#simple-block-2:focus');
      await page.keyboard.type('Andet afsnit.', { delay: 5 });
      await page.keyboard.press('Enter');
      await page.keyboard.press('Backspace'); // the empty third paragraph goes again
      expect(await areaValues(page)).toEqual(['Første afsnit om søen.', 'Andet afsnit.']);
      await savedState(page);

      await page.click('#simple-switch');
      expect(await page.isVisible('.answer-editor')).toBe(true);
      expect(await page.isVisible('#simple-block-1')).toBe(false);
      expect(await richParagraphs(page)).toEqual(['Første afsnit om søen.', 'Andet afsnit.']);
      // A heading written in the rich editor stays, read-only, in simple mode.
      await caretToEnd(page);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+Alt+2');
      await page.keyboard.type('Slutning', { delay: 5 });

      await page.click('#simple-switch');
      // Tiptap keeps an empty paragraph after a heading; it is an empty text area here and adds nothing to the text.
      expect(await areaValues(page)).toEqual(['Første afsnit om søen.', 'Andet afsnit.', 'Slutning', '']);
      expect(await page.getAttribute('#simple-block-3', 'readonly')).not.toBeNull();
      expect(await page.textContent('.simple-note')).toContain('kan kun ændres i den almindelige editor');
      await savedState(page);
      await page.waitForFunction(() => !/Gemmer|Ikke gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 10_000 });
      expect(await storedAnswerText(demo.database.db, await registrationOf('elev02'))).toBe('Første afsnit om søen.\nAndet afsnit.\nSlutning');

      // The choice survives a reload.
      await page.reload();
      await page.waitForSelector('#simple-block-1', { state: 'visible', timeout: 20_000 });
      await page.waitForFunction(() => (document.querySelector('#simple-block-2') as HTMLTextAreaElement | null)?.value === 'Andet afsnit.', null, {
        timeout: 10_000,
      });
    } catch (err) {
      await screenshot(page, 'simple-mode-failure');
      throw err;
    } finally {
      await page.context().close();
    }
  });

  it('a pupil without the accommodation sees no switch', async () => {
    const page = await demo.page();
    try {
      await signIn(page, demo.server.url, 'elev04', 'elev-demo');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      expect(await page.isVisible('#simple-switch')).toBe(false);
    } finally {
      await page.context().close();
    }
  });

  it('a text-rewriting browser extension reaches the stored answer in simple mode; what the rich editor does is recorded', async () => {
    const { context, how } = await rewriterContext();
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      await openExam(page, 'elev03');
      await page.waitForFunction(() => document.documentElement.dataset.rewriter === 'loaded');
      const registrationId = await registrationOf('elev03');

      await page.click('#simple-switch');
      await page.click('#simple-block-1');
      await page.keyboard.type('En hudn løb', { delay: 20 });
      await page.waitForFunction(() => (document.querySelector('#simple-block-1') as HTMLTextAreaElement).value === 'En hund løb', null, { timeout: 5_000 });
      await page.keyboard.type('.', { delay: 20 });
      await savedState(page);
      await expect.poll(() => storedAnswerText(demo.database.db, registrationId), { timeout: 10_000 }).toBe('En hund løb.');

      await page.click('#simple-switch');
      await caretToEnd(page);
      await page.keyboard.press('Enter');
      await page.keyboard.type('Min hudn sov', { delay: 20 });
      await page.waitForFunction(() => Number(document.documentElement.dataset.rewrites ?? 0) >= 2, null, { timeout: 5_000 });
      await page.keyboard.type('.', { delay: 20 });
      await savedState(page);
      await page.waitForTimeout(1_500);
      const rich = await richParagraphs(page);
      const stored = await storedAnswerText(demo.database.db, registrationId);
      console.log(JSON.stringify({ extensionLoadedBy: how, richEditorShows: rich, stored }));
      // The rich editor: ProseMirror reads the tool's DOM change back (no "hudn" is left), but the tool's direct
      // change of the text node moves the caret, so the pupil's next keystrokes land elsewhere and the answer is
      // out of order (docs/accessibility.md "Enkel skrivning"). That is why simple mode exists.
      expect(stored).not.toContain('hudn');
      expect(stored).toContain('hund');
      expect(stored).not.toBe('En hund løb.\nMin hund sov.');
      expect(rich.filter((p) => p !== '').join('\n')).toBe(stored);
    } catch (err) {
      await screenshot(page, 'simple-mode-extension-failure');
      throw err;
    } finally {
      await context.close();
    }
  });
});

/**
 * A persistent Chromium context with the rewriter loaded as a real unpacked MV3 extension (headless extensions
 * need the new headless mode). If Chromium refuses it, the same content script is injected as an init script.
 */
async function rewriterContext(): Promise<{ context: BrowserContext; how: 'extension' | 'init-script' }> {
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'provesal-ext-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: false,
    locale: 'da-DK',
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
    ],
  });
  const probe = await context.newPage();
  await probe.goto(demo.server.url);
  const loaded = await probe
    .waitForFunction(() => document.documentElement.dataset.rewriter === 'loaded', null, { timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (loaded) return { context, how: 'extension' };
  console.warn('the unpacked extension did not load; injecting its content script instead');
  await context.addInitScript({ content: readFileSync(path.join(EXTENSION, 'content.js'), 'utf8') });
  await probe.reload();
  return { context, how: 'init-script' };
}
