import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interceptAnswerSocket, scenario } from './support/answerSocket.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { tabsTo } from './support/focus.ts';
import { pupilPdf } from './support/pupilPdf.ts';
import { registrationOf, storedItemDocument } from './support/storedItems.ts';
import { createHash } from 'node:crypto';
import { extendedTextFragment, itemTestHashText } from '../../src/protocol/itemResponses.ts';

// Issue 12, acceptance 3: every interaction answered with the keyboard only, offline, reload, back, hand-in.
let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 6 });
});
afterAll(async () => {
  await demo?.stop();
});

/** Chooses the option whose text is `text` in the focused select, with arrow keys only. */
async function chooseWithKeys(page: Page, text: string): Promise<void> {
  const target = await page.evaluate((t) => {
    const s = document.activeElement as HTMLSelectElement;
    return [...s.options].findIndex((o) => o.text === t) - s.selectedIndex;
  }, text);
  for (let i = 0; i < Math.abs(target); i++) await page.keyboard.press(target > 0 ? 'ArrowDown' : 'ArrowUp');
  expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).selectedOptions[0]?.text)).toBe(text);
}

/** Focuses the choice whose label is `label` (Tab, then arrows inside a radio group) and ticks it with Space. */
async function tick(page: Page, label: string): Promise<void> {
  const id = await page.evaluate((l) => [...document.querySelectorAll('.item label')].find((x) => x.textContent?.trim() === l)?.getAttribute('for'), label);
  if ((await page.getAttribute(`#${id}`, 'type')) === 'radio') {
    // A radio group is one Tab stop; the arrow keys move (and tick) within it.
    await tabsTo(page, `input[name="${await page.getAttribute(`#${id}`, 'name')}"]`);
    for (let i = 0; i < 10 && !(await page.evaluate((x) => document.activeElement?.id === x, id!)); i++) await page.keyboard.press('ArrowDown');
  } else await tabsTo(page, `#${id}`);
  await page.keyboard.press('Space');
  expect(await page.isChecked(`#${id}`)).toBe(true);
}

const next = async (page: Page, item: string) => {
  await tabsTo(page, '#item-next');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`article.item[data-item="${item}"]`);
};

const responses = (page: Page) => page.evaluate(() => document.querySelector('#overview-counts')?.textContent ?? '');
const saveState = (page: Page) => page.textContent('#save-state');

describe('a pupil sits the demo item test in Chromium', () => {
  it('answers every interaction with the keyboard, works offline, reloads, saves when back, and hands in', async () => {
    const page = await demo.page();
    await scenario(
      'item-test',
      () => [page],
      async () => {
        // elev31 sits the demo's item test "Dansk – retskrivning og læsning (FP9)".
        const registration = await registrationOf(demo, 'elev31');
        const net = await interceptAnswerSocket(page);
        await signIn(page, demo.server.url, 'elev31', 'elev-demo');
        await page.waitForSelector('article.item[data-item="q01-valg"]', { timeout: 40_000 });
        expect(await page.textContent('#part-time')).toMatch(/^Del 1 af 2: \d+ min tilbage$/);
        // Part 1 is linear: there is no "previous" button and the overview does not open items.
        expect(await page.$('#item-prev')).toBeNull();
        expect(await page.$('.item-overview button')).toBeNull();

        // choice (single): radios in a fieldset; Space ticks the focused one.
        await tick(page, 'nødvendig');
        await next(page, 'q02-flervalg');
        // choice (multiple): checkboxes.
        await tick(page, 'mand');
        await tick(page, 'kold');
        await next(page, 'q03-tresserne');
        // text entry, typed with the straight apostrophe.
        await tabsTo(page, 'input.text-entry');
        await page.keyboard.type("60'erne");
        await next(page, 'q04-inline');
        // inline choice: a select, changed with the arrow keys.
        await tabsTo(page, 'select.inline-choice');
        await chooseWithKeys(page, 'lagt');
        await next(page, 'q05-ordklasser');
        // match: one select per word.
        for (const [word, cls] of [
          ['hus', 'navneord'],
          ['løbe', 'udsagnsord'],
          ['grøn', 'tillægsord'],
        ]) {
          const id = await page.evaluate((w) => [...document.querySelectorAll('.match-row label')].find((l) => l.textContent === w)?.getAttribute('for'), word);
          await tabsTo(page, `#${id}`);
          await chooseWithKeys(page, cls);
        }
        await next(page, 'q06-alfabet');
        // order: move buttons until the list reads zebra, æble, øre, åben.
        const want = ['zebra', 'æble', 'øre', 'åben'];
        for (let place = 0; place < want.length; place++) {
          for (;;) {
            const now = await page.$$eval('.order-item .order-text', (els) => els.map((e) => e.textContent));
            const at = now.indexOf(want[place]);
            if (at === place) break;
            await tabsTo(page, `.order-item:nth-child(${at + 1}) button[data-dir="up"]`);
            await page.keyboard.press('Enter');
            // Focus stays on the moved word's button, and the move is spoken.
            expect(await page.evaluate(() => document.activeElement?.closest('li')?.querySelector('.order-text')?.textContent)).toBe(want[place]);
          }
        }
        expect(await page.textContent('#announcer')).toMatch(/er nu nummer \d af 4/);
        await next(page, 'q07-huller');
        // gap match: one select per gap.
        for (const [gap, word] of [
          ['Hul 1 af 3', 'spiser'],
          ['Hul 2 af 3', 'at læse'],
          ['Hul 3 af 3', 'spiser'],
        ]) {
          await tabsTo(page, `select[aria-label="${gap}"]`);
          await chooseWithKeys(page, word);
        }
        await next(page, 'q08-fejlfind');
        // hottext: toggle buttons with aria-pressed.
        for (const word of ['hvorn', 'eftermidagen']) {
          await tabsTo(page, `button.hottext[value="${word === 'hvorn' ? 'H2' : 'H4'}"]`);
          await page.keyboard.press('Space');
        }
        expect(await page.$$eval('button.hottext[aria-pressed="true"]', (b) => b.map((x) => x.textContent))).toEqual(['hvorn', 'eftermidagen']);
        await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });

        // The end of a linear part: moving on asks first, then part 2 opens with a spoken notice.
        expect(await page.isDisabled('#item-next')).toBe(true);
        await tabsTo(page, '#move-on');
        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('move-on-confirm');
        await page.keyboard.press('Enter');
        await page.waitForSelector('article.item[data-item="q09-stort-bogstav"]');
        expect(await page.textContent('#part-notice')).toBe('Du er nu i del 2.');
        expect(await page.textContent('#announcer')).toBe('Du er nu i del 2.');
        expect(await page.textContent('#part-time')).toMatch(/^Del 2 af 2: /);

        // Part 2 is non-linear: the overview opens any item. The pupil flags one for review.
        await tabsTo(page, 'input.text-entry');
        await page.keyboard.type('København');
        await next(page, 'q10-to-felter');
        await tabsTo(page, 'input[aria-label="Svarfelt 1 af 2"]');
        await page.keyboard.type('bogen');
        await page.keyboard.press('Tab');
        await page.keyboard.type('bøgerne');
        await tabsTo(page, '#flag-item');
        await page.keyboard.press('Space');
        await next(page, 'q11-komma');
        await tick(page, 'Da vi kom hjem, var klokken mange.');
        await tick(page, 'Hun sagde, at hun var træt.');
        expect(await responses(page)).toBe('3 besvaret · 2 ubesvaret · 1 markeret');
        await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });

        // Offline: the answer socket is turned away and the browser says the network is gone.
        net.refuse();
        await page.context().setOffline(true);
        await next(page, 'q12-skriv');
        await tabsTo(page, '.extended-text .answer-editor');
        await page.keyboard.type('Jeg var på Bornholm. Vi badede hver dag.');
        await tabsTo(page, 'li[data-item="q13-stavelser"] button');
        await page.keyboard.press('Enter');
        await page.waitForSelector('article.item[data-item="q13-stavelser"]');
        await tabsTo(page, 'input.text-entry');
        await page.keyboard.type('5');
        await page.waitForSelector('#save-warning:not([hidden])', { timeout: 20_000 });
        expect(await saveState(page)).not.toMatch(/Gemt/);
        await screenshot(page, 'item-test-offline');

        // A reload while the socket is still refused: every response is back from the browser's copy.
        await page.context().setOffline(false);
        page.on('dialog', (d) => void d.accept()); // the beforeunload warning: unsaved responses exist
        await page.reload();
        await page.waitForSelector('article.item[data-item="q13-stavelser"]', { timeout: 20_000 });
        await page.waitForFunction(() => (document.querySelector('input.text-entry') as HTMLInputElement | null)?.value === '5', null, { timeout: 10_000 });
        expect(await responses(page)).toBe('5 besvaret · 0 ubesvaret · 1 markeret');
        expect(await page.getAttribute('li[data-item="q10-to-felter"] .ov-item', 'class')).toContain('flagged');
        expect(await saveState(page)).not.toMatch(/Gemt/);

        // Back online: everything is saved, and the server holds every response.
        net.pass();
        await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 40_000 });
        const { responses: stored, doc } = await storedItemDocument(demo, registration.id);
        // A set (cardinality multiple) may be stored in any order; the order item's list is ordered.
        const asSets = (r: Record<string, unknown>) =>
          Object.fromEntries(
            Object.entries(r).map(([item, v]) => [
              item,
              Object.fromEntries(
                Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, Array.isArray(x) && item !== 'q06-alfabet' ? [...x].sort() : x]),
              ),
            ]),
          );
        expect(asSets(stored)).toEqual({
          'q01-valg': { RESPONSE: 'B' },
          'q02-flervalg': { RESPONSE: ['A', 'C'] },
          'q03-tresserne': { RESPONSE: "60'erne" },
          'q04-inline': { RESPONSE: 'LAGT' },
          'q05-ordklasser': { RESPONSE: ['GRØN ADJ', 'HUS SUB', 'LØBE VERB'] },
          'q06-alfabet': { RESPONSE: ['ZEBRA', 'AEBLE', 'OERE', 'AABEN'] },
          'q07-huller': { RESPONSE: ['AT_LAESE G2', 'SPISER G1', 'SPISER G3'] },
          'q08-fejlfind': { RESPONSE: ['H2', 'H4'] },
          'q09-stort-bogstav': { RESPONSE: 'København' },
          'q10-to-felter': { ENTAL: 'bogen', FLERTAL: 'bøgerne' },
          'q11-komma': { RESPONSE: ['A', 'C'] },
          'q13-stavelser': { RESPONSE: '5' },
        });
        // Extended text is rich text in its own fragment, written with the essay's editor.
        expect(doc.getXmlFragment(extendedTextFragment('q12-skriv', 'RESPONSE')).toString()).toContain('Jeg var på Bornholm. Vi badede hver dag.');

        // The served item XML holds no key.
        const served = await page.evaluate(async (sittingId) => (await fetch(`/api/sittings/${sittingId}/items`)).text(), registration.sittingId);
        expect(served).toContain('qti-choice-interaction');
        for (const key of ['qti-correct-response', 'qti-mapping', 'qti-response-processing']) expect(served).not.toContain(key);

        // Hand-in with the keyboard: the receipt shows the hash of the responses.
        await tabsTo(page, '#hand-in');
        await page.keyboard.press('Enter');
        await page.waitForSelector('dialog[open] #honour');
        await page.keyboard.press('Space');
        await tabsTo(page, '#confirm-hand-in');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
        await screenshot(page, 'item-test-receipt');
        const hash = (await page.textContent('#receipt-sha256'))!.trim();
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        // The receipt's SHA-256 covers the responses: it is the hash of what the saved document holds (§14.5).
        expect(hash).toBe(createHash('sha256').update(itemTestHashText(doc)).digest('hex'));
        const { rows } = await demo.database.db.query(
          `SELECT s.text_sha256, r.total, r.parts FROM submissions s JOIN item_results r ON r.submission_id = s.id WHERE s.registration_id = $1`,
          [registration.id],
        );
        expect(hash).toBe(rows[0].text_sha256);
        // Scored on the server: every automatic item right (the extended text waits for a grader).
        expect(rows[0].total).toBe(21);
        expect((rows[0].parts as { part: string; score: number }[]).map((p) => [p.part, p.score])).toEqual([
          ['del1', 14],
          ['del2', 7],
        ]);
        // The signed PDF shows the responses, and its signature holds.
        const pdf = await pupilPdf(page, registration.id);
        for (const typed of ["60'erne", 'København', 'Jeg var på Bornholm. Vi badede hver dag.']) expect(pdf.text).toContain(typed);
        expect(pdf.signature).toContain('Signature is Valid');
      },
    );
  });
});
