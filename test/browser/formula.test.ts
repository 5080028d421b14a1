import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPlainText } from '../../src/protocol/answerDocument.ts';
import { scenario } from './support/answerSocket.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { tabsTo, transitionState, waitForFocus } from './support/focus.ts';
import { arrowLeftRead, axeSeriousBothModes, inlineFormulas, poll, storedAnswerDoc } from './support/formula.ts';

// docs/rules.md §16.1 and docs/accessibility.md "Formler": a pupil writes a formula with MathLive by keyboard alone;
// it is stored as LaTeX in the answer, drawn as printed, named by its spoken form, and covered by the receipt.
let demo: Demo;
let page: Page;
const USER = 'elev04';

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 10 }); // a lobby first: it must not load MathLive
});
afterAll(async () => {
  await demo?.stop();
});

const storedDoc = () => storedAnswerDoc(demo.database.db, USER);
const storedFormulas = async () => inlineFormulas(await storedDoc());
const axeSerious = () => axeSeriousBothModes(page);
const arrowLeft = () => arrowLeftRead(page);
const fieldValue = () => page.evaluate(() => (document.querySelector('dialog.formula-dialog math-field') as HTMLElement & { value: string })?.value);
const saved = () => page.waitForFunction(() => /Gemt/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });

describe('formulas in the answer (Chromium, keyboard only)', () => {
  it('inserts x^2+1 with the math field, stores its LaTeX, shows it after a reload, edits it again, and hands in', async () => {
    page = await demo.page();
    const foreign: string[] = [];
    const cspErrors: string[] = [];
    const mathLiveRequests: string[] = [];
    await scenario(
      'formula',
      () => [page],
      async () => {
        const origin = new URL(demo.server.url).origin;
        page.on('request', (r) => {
          if (!/^(data|blob):/.test(r.url()) && new URL(r.url()).origin !== origin) foreign.push(r.url());
          if (/mathlive|KaTeX/i.test(r.url())) mathLiveRequests.push(r.url());
        });
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
        });
        await signIn(page, demo.server.url, USER, 'elev-demo');
        await page.waitForFunction(() => /^\d{2}:\d{2}$/.test(document.querySelector('#countdown')?.textContent ?? ''), null, { timeout: 15_000 });
        expect(mathLiveRequests).toEqual([]); // the lobby does without it
        await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
        await waitForFocus(page, '#exam-title');
        await tabsTo(page, '#answer-editor');
        await page.keyboard.type('Svar: ', { delay: 5 });

        // The key is documented where the pupil is.
        expect(await page.textContent('#editor-keys')).toContain('Alt+=');
        await page.keyboard.press('Alt+=');
        await waitForFocus(page, 'dialog.formula-dialog[open] math-field');
        expect(mathLiveRequests.length).toBeGreaterThan(0); // fetched for the exam, from our own origin (foreign stays empty)
        // Inside the element the lockdown guard watches, so its paste rule holds in the math field too.
        expect(await page.locator('.editor-mount dialog.formula-dialog').count()).toBe(1);
        expect(await page.getAttribute('dialog.formula-dialog math-field', 'aria-label')).toBe('Formel');
        expect(await page.getAttribute('dialog.formula-dialog', 'aria-labelledby')).toBeTruthy();
        await page.keyboard.type('x^2+1', { delay: 20 });
        expect(await fieldValue()).toBe('x^2+1');

        // The virtual keyboard is there on request only, from a labelled toggle inside the dialog.
        expect(await page.locator('.ML__keyboard.is-visible').count()).toBe(0);
        await page.keyboard.press('Tab');
        expect((await transitionState(page)).activeText).toBe('Matematiktastatur');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelector('dialog.formula-dialog button[aria-pressed="true"]'), null, { timeout: 5_000 });
        await page.waitForSelector('dialog.formula-dialog .ML__keyboard .MLK__backdrop', { timeout: 5_000 });
        expect(await axeSerious()).toEqual([]);
        await page.click('dialog.formula-dialog button[aria-pressed="true"]');
        await page.waitForFunction(() => document.querySelector('dialog.formula-dialog button[aria-pressed="false"]'), null, { timeout: 5_000 });
        await waitForFocus(page, 'dialog.formula-dialog math-field');

        // Enter commits; the caret is right after the formula in the answer.
        await page.keyboard.press('Enter');
        await page.waitForSelector('dialog.formula-dialog', { state: 'detached' });
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        expect((await transitionState(page)).announced).toBe('Formlen er indsat.');
        await page.keyboard.type(' er svaret.', { delay: 5 });
        const formula = page.locator('.answer-editor .formula-inline[role="math"]');
        expect(await formula.count()).toBe(1);
        expect(await formula.getAttribute('aria-label')).toBe('Formel: X squared plus 1');
        expect(await formula.locator('.ML__latex').count()).toBe(1); // MathLive's printed form, not the source
        await saved();
        expect(await poll(storedFormulas, (f) => f.length === 1)).toEqual(['x^2+1']);
        expect(answerPlainText(await poll(storedDoc, (d) => answerPlainText(d).endsWith('svaret.')))).toBe('Svar: \\(x^2+1\\) er svaret.');
        expect(await axeSerious()).toEqual([]);

        // Escape on a new, empty formula makes nothing.
        await page.keyboard.press('Alt+=');
        await waitForFocus(page, 'dialog.formula-dialog[open] math-field');
        await page.keyboard.press('Escape');
        await page.waitForSelector('dialog.formula-dialog', { state: 'detached' });
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        expect(await formula.count()).toBe(1);

        await page.reload();
        await page.waitForSelector('.answer-editor[contenteditable="true"] .formula-inline .ML__latex', { timeout: 30_000 });
        await waitForFocus(page, '#exam-title');
        await saved();
        await tabsTo(page, '#answer-editor');
        // To the end, then left until the arrow selects the formula (past " er svaret."): Enter opens it again.
        await page.keyboard.press('Control+End');
        const selected = () => page.locator('.answer-editor .formula-inline.ProseMirror-selectednode').count();
        for (let i = 0; i < 20 && !(await selected()); i++) await arrowLeft();
        expect(await selected()).toBe(1);
        // Space opens it too; Escape keeps the old value, and the caret is back right after the formula.
        await page.keyboard.press('Space');
        await waitForFocus(page, 'dialog.formula-dialog[open] math-field');
        expect(await fieldValue()).toBe('x^2+1');
        await page.keyboard.type('77', { delay: 20 });
        await page.keyboard.press('Escape');
        await page.waitForSelector('dialog.formula-dialog', { state: 'detached' });
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        expect(await page.getAttribute('.answer-editor .formula-inline', 'aria-label')).toBe('Formel: X squared plus 1');
        await arrowLeft();
        expect(await selected()).toBe(1);
        await page.keyboard.press('Enter');
        await waitForFocus(page, 'dialog.formula-dialog[open] math-field');
        expect(await fieldValue()).toBe('x^2+1');
        await page.keyboard.press('Control+a');
        await page.keyboard.type('a/b', { delay: 20 });
        await page.keyboard.press('Enter');
        await page.waitForSelector('dialog.formula-dialog', { state: 'detached' });
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        expect(await poll(storedFormulas, (f) => f[0] !== 'x^2+1')).toEqual(['\\frac{a}{b}']);
        await page.keyboard.type('!', { delay: 5 }); // right after the formula
        expect(answerPlainText(await poll(storedDoc, (d) => answerPlainText(d).includes('!')))).toBe('Svar: \\(\\frac{a}{b}\\)! er svaret.');

        // A display formula from the toolbar (Alt+F10, arrows): a block of its own, with a paragraph to write on after it.
        await page.keyboard.press('End');
        await page.keyboard.press('Alt+F10');
        for (let i = 0; i < 12 && (await transitionState(page)).activeText !== 'Formel på egen linje'; i++) await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Enter');
        await waitForFocus(page, 'dialog.formula-dialog[open] math-field');
        expect(await page.textContent('dialog.formula-dialog h2')).toBe('Formel på egen linje');
        await page.keyboard.type('y=2x', { delay: 20 });
        await page.keyboard.press('Enter');
        await page.waitForSelector('dialog.formula-dialog', { state: 'detached' });
        expect((await transitionState(page)).active).toBe('div#answer-editor');
        await page.keyboard.type('Slut.', { delay: 5 });
        expect(await page.locator('.answer-editor > div.formula-display[role="math"] .ML__latex').count()).toBe(1);

        // Copy and paste inside the editor keep formulas: the HTML carries the node and its LaTeX, and is read back as one.
        const html = await page.evaluate(() => (document.querySelector('#answer-editor') as unknown as { editor: { getHTML(): string } }).editor.getHTML());
        expect(html).toContain('data-latex="\\frac{a}{b}" data-formula="mathInline"');
        expect(html).toContain('data-latex="y=2x" data-formula="mathDisplay"');
        await page.evaluate(() =>
          (document.querySelector('#answer-editor') as unknown as { editor: { view: { pasteHTML(h: string): boolean } } }).editor.view.pasteHTML(
            '<p>Kopi: <span data-formula="mathInline" data-latex="z^3">\\(z^3\\)</span></p>',
          ),
        );
        const text = answerPlainText(await poll(storedDoc, (d) => answerPlainText(d).endsWith('\\(z^3\\)')));
        expect(text).toBe('Svar: \\(\\frac{a}{b}\\)! er svaret.\n\\[y=2x\\]\nSlut.Kopi: \\(z^3\\)');
        expect(await poll(storedFormulas, (f) => f.length === 2)).toEqual(['\\frac{a}{b}', 'z^3']);
        await saved();

        // The receipt's hash covers the formula's LaTeX; the read-only copy draws it too.
        await page.click('#hand-in');
        await page.keyboard.press('Space');
        await page.click('#confirm-hand-in');
        await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
        expect((await page.textContent('#receipt-sha256'))!.trim()).toBe(createHash('sha256').update(text).digest('hex'));
        await page.waitForSelector('.answer-copy-text .formula-inline[role="math"]', { timeout: 10_000 });

        expect(foreign).toEqual([]);
        expect(cspErrors).toEqual([]);
      },
    );
  });
});

describe('a formula under the in-browser lockdown', () => {
  it('text from outside pasted into the math field is refused and reported, as in the answer itself', async () => {
    const locked = await startDemo({ startsInSeconds: 0, lockdownProfile: 'browser_fullscreen' });
    const pupil = await locked.page();
    try {
      await pupil.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: locked.server.url });
      await signIn(pupil, locked.server.url, 'elev05', 'elev-demo');
      await pupil.waitForSelector('#enter-fullscreen', { state: 'visible', timeout: 40_000 });
      await pupil.click('#enter-fullscreen');
      await pupil.waitForSelector('.answer-editor[contenteditable="true"]');
      await pupil.click('.answer-editor');
      await pupil.keyboard.press('Alt+=');
      await waitForFocus(pupil, 'dialog.formula-dialog[open] math-field');
      await pupil.evaluate(() => navigator.clipboard.writeText('\\sqrt{2}'));
      await pupil.keyboard.press('Control+V');
      const events = async () =>
        (
          await locked.database.db.query(
            `SELECT e.type FROM lockdown_events e JOIN registrations r ON r.id = e.registration_id JOIN candidates c ON c.id = r.candidate_id
               JOIN users u ON u.id = c.user_id WHERE u.username = 'elev05'`,
          )
        ).rows.map((r) => r.type as string);
      await expect.poll(events, { timeout: 10_000 }).toContain('paste_blocked');
      expect(await pupil.evaluate(() => (document.querySelector('dialog.formula-dialog math-field') as HTMLElement & { value: string }).value)).toBe('');
      // Writing stops (here: fullscreen left): the dialog closes and makes no formula.
      await pupil.evaluate(() => document.exitFullscreen());
      await pupil.waitForSelector('dialog.formula-dialog', { state: 'detached', timeout: 10_000 });
      expect(await pupil.locator('.answer-editor .formula').count()).toBe(0);
    } catch (err) {
      await screenshot(pupil, 'formula-lockdown-failure');
      throw err;
    } finally {
      await locked.stop();
    }
  });
});
