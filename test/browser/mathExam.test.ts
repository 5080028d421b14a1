import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggb, realPng } from '../support/attachmentFiles.ts';
import { until } from '../support/poll.ts';
import { screenshot, signIn } from './support/browser.ts';
import { shownHash as shownHashOf } from './support/attachmentPanel.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { waitForFocus } from './support/focus.ts';
import { inlineFormulas, poll, storedAnswerDoc } from './support/formula.ts';
import { pupilPdfBytes, withPdfFile } from './support/pupilPdf.ts';
import { registrationOf } from './support/storedItems.ts';

// The mathematics exam end to end (docs/rules.md §15, §16), on the demo's "Matematik – problemløsning (FP9)": a
// formula from the math field, a pasted drawing, a GeoGebra file, a second file that loses the network half-way and
// resumes, then the hand-in — and the signed PDF carries it all: embedded files that hash as the receipt says, a valid
// signature, and the formula's LaTeX as text.
let demo: Demo;
let page: Page;
const MB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PUPIL = 'elev41';

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
  page = await demo.page({ serviceWorkers: 'block' }); // every upload request goes through the route below
}, 120_000);
afterAll(async () => {
  await demo?.stop();
});

const uploadRow = async (name: string) =>
  (
    await demo.database.db.query<{ id: string; upload_offset: number; sha256: string | null }>(
      'SELECT id, upload_offset, sha256 FROM attachment_uploads WHERE file_name = $1',
      [name],
    )
  ).rows;

const shownHash = (name: string) => shownHashOf(page, name);

describe('the mathematics exam with a formula and files (Chromium)', () => {
  it('formula, pasted image, .ggb and an upload resumed after going offline, handed in: the signed PDF embeds them with the receipt hashes and shows the formula', async () => {
    await page.route('**/api/attachments/uploads/*', async (route) => {
      // A school network: each chunk takes a moment, so "half-way" exists.
      if (route.request().method() === 'PATCH') await new Promise((r) => setTimeout(r, 150));
      await route.continue().catch(() => undefined);
    });
    try {
      await signIn(page, demo.server.url, PUPIL, 'elev-demo');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      expect(await page.textContent('#exam-title')).toContain('Matematik');

      // 1. A formula through the math field, by keyboard.
      await page.click('.answer-editor');
      await page.keyboard.type('Arealet: ', { delay: 5 });
      await page.keyboard.press('Alt+=');
      await waitForFocus(page, 'dialog.formula-dialog[open] math-field');
      await page.keyboard.type('x^2+1', { delay: 20 });
      await page.keyboard.press('Enter');
      await page.waitForSelector('dialog.formula-dialog[open]', { state: 'detached', timeout: 10_000 }).catch(() => undefined);
      await page.waitForSelector('.answer-editor [role="math"]', { timeout: 10_000 });
      const formulas = await poll(
        async () => inlineFormulas(await storedAnswerDoc(demo.database.db, PUPIL)),
        (f) => f.length === 1,
      );
      expect(formulas).toEqual(['x^2+1']);

      // 2. A drawing pasted into the answer becomes an attachment shown inline.
      const drawing = realPng();
      await page.keyboard.type(' Tegning: ');
      await page.evaluate((b64) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'tegning.png', { type: 'image/png' }));
        document.querySelector('.answer-editor')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, drawing.toString('base64'));
      await page.waitForFunction(
        () => document.querySelector<HTMLImageElement>('.answer-editor img[data-attachment-id]')?.getAttribute('src')?.startsWith('/api/attachments/files/'),
        null,
        { timeout: 30_000 },
      );

      // 3. A GeoGebra file.
      const construction = ggb(200_000);
      await page.setInputFiles('#attachment-input', { name: 'konstruktion.ggb', mimeType: 'application/vnd.geogebra.file', buffer: construction });
      expect(await shownHash('konstruktion.ggb')).toBe(sha256(construction));

      // 4. A second upload loses the network half-way, and resumes on the same upload once it is back.
      const graph = ggb(3 * MB);
      await page.setInputFiles('#attachment-input', { name: 'graf.ggb', mimeType: 'application/vnd.geogebra.file', buffer: graph });
      await until(async () => ((await uploadRow('graf.ggb'))[0]?.upload_offset ?? 0) >= MB, { what: 'graf.ggb half-way', timeoutMs: 30_000 });
      await page.context().setOffline(true);
      await page.waitForSelector('.attachment-queue li[data-status="offline"]', { timeout: 15_000 });
      expect((await uploadRow('graf.ggb'))[0].upload_offset).toBeLessThan(graph.length);
      await page.context().setOffline(false);
      expect(await shownHash('graf.ggb')).toBe(sha256(graph));
      expect(await uploadRow('graf.ggb')).toHaveLength(1);

      // 5. The hand-in: the receipt lists three files with the server's hashes.
      await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 20_000 });
      await page.click('#hand-in');
      await page.keyboard.press('Space'); // "I have read it through"
      await page.click('#confirm-hand-in');
      await page.waitForSelector('#receipt-attachments', { timeout: 20_000 });
      const receipt = await page.$$eval('#receipt-attachments li', (lis) => lis.map((li) => li.textContent ?? ''));
      expect(receipt).toHaveLength(3);
      const expected = [sha256(construction), sha256(graph), sha256(drawing)];
      for (const hash of expected) expect(receipt.some((t) => t.includes(hash))).toBe(true);

      // 6. The signed PDF: attachments embedded with the receipt's hashes, a valid signature, the formula as text.
      const pdf = await pupilPdfBytes(page, (await registrationOf(demo, PUPIL)).id);
      withPdfFile(pdf, (file, dir) => {
        const list = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
        expect(list).toMatch(/^3 embedded files/);
        for (const name of ['konstruktion.ggb', 'graf.ggb']) expect(list).toContain(name);
        expect(list).toMatch(/billede-[\d-]+\.png/); // a pasted image is named by the page, not the clipboard
        const out = path.join(dir, 'files');
        execFileSync('mkdir', ['-p', out]);
        execFileSync('pdfdetach', ['-saveall', '-o', out, file]);
        const embedded = readdirSync(out).map((f) => sha256(readFileSync(path.join(out, f))));
        expect(embedded.sort()).toEqual([...expected].sort());
        expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid');
        expect(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).toContain('x^2+1');
      });
    } catch (err) {
      await screenshot(page, 'math-exam-failure');
      throw err;
    }
  });
});
