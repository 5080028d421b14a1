import { createHash } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggb, realPng } from '../support/attachmentFiles.ts';
import { until } from '../support/poll.ts';
import { screenshot, signIn } from './support/browser.ts';
import { shownHash as shownHashOf } from './support/attachmentPanel.ts';
import { startDemo, type Demo } from './support/demo.ts';

// docs/rules.md §15.10: the pupil's upload queue in Chromium — a GeoGebra file, a larger file that goes offline
// half-way and resumes, one that survives a reload, and a pasted image — then the hand-in lists them all.
let demo: Demo;
let page: Page;
const MB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
  await demo.database.db.query(`UPDATE sittings SET aids = aids || '{"attachments": ["image", "pdf", "ggb"]}'::jsonb`);
  // No service worker: the routes below must see every upload request.
  page = await demo.page({ serviceWorkers: 'block' });
}, 120_000);
afterAll(async () => {
  await demo?.stop();
});

interface Row {
  id: string;
  size: number;
  upload_offset: number;
  sha256: string | null;
  completed: boolean;
  stored: number;
}
const uploads = async (name: string) =>
  (
    await demo.database.db.query<Row>(
      `SELECT u.id, u.size, u.upload_offset, u.sha256, u.completed_at IS NOT NULL AS completed,
              (SELECT COALESCE(sum(length(c.data)), 0)::int FROM attachment_chunks c WHERE c.upload_id = u.id) AS stored
         FROM attachment_uploads u WHERE u.file_name = $1`,
      [name],
    )
  ).rows;

const shownHash = (name: string) => shownHashOf(page, name);

/** Until the server holds at least `bytes` of the upload (read from PostgreSQL, not the page). */
const serverHas = (name: string, bytes: number) =>
  until(async () => ((await uploads(name))[0]?.upload_offset ?? 0) >= bytes, { what: `${bytes} bytes of ${name} on the server`, timeoutMs: 30_000 });

describe('attachments in the browser (Chromium)', () => {
  it('attaches a .ggb file, resumes an upload after going offline and after a reload, turns a pasted image into an attachment, and hands in', async () => {
    const creations: string[] = [];
    page.on('request', (r: Request) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/attachments/uploads')) creations.push(r.url());
    });
    // A school network, not localhost: each chunk takes a moment, so "half-way" exists.
    await page.route('**/api/attachments/uploads/*', async (route) => {
      if (route.request().method() === 'PATCH') await new Promise((r) => setTimeout(r, 150));
      await route.continue().catch(() => undefined);
    });
    try {
      await signIn(page, demo.server.url, 'elev05', 'elev-demo');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
      expect(await page.textContent('#attachment-rules')).toBe(
        'Du må vedhæfte billeder (PNG, JPEG, GIF, WebP), PDF og GeoGebra (.ggb). Højst 10 filer på højst 20 MB hver.',
      );
      expect(await page.textContent('label[for="attachment-input"]')).toBe('Vedhæft fil');

      // 1. A GeoGebra file: "Gemt" with the SHA-256 the server computed.
      const small = ggb(100_000);
      await page.focus('#attachment-input');
      await page.setInputFiles('#attachment-input', { name: 'trekant.ggb', mimeType: 'application/vnd.geogebra.file', buffer: small });
      expect(await shownHash('trekant.ggb')).toBe(sha256(small));
      expect((await uploads('trekant.ggb'))[0].sha256).toBe(sha256(small));
      await page.waitForFunction(() => document.querySelector('#announcer')?.textContent?.startsWith('trekant.ggb er gemt.'));

      // 2. A larger file goes offline half-way, pauses, and resumes from the server's offset on the same upload.
      const big = ggb(3 * MB);
      await page.setInputFiles('#attachment-input', { name: 'stor.ggb', mimeType: 'application/vnd.geogebra.file', buffer: big });
      await serverHas('stor.ggb', MB);
      await page.context().setOffline(true);
      await page.waitForSelector('.attachment-queue li[data-status="offline"]', { timeout: 15_000 });
      expect(await page.textContent('.attachment-queue li label')).toMatch(/^\d+ % sendt, venter på forbindelse$/);
      const stood = (await uploads('stor.ggb'))[0].upload_offset;
      expect(stood).toBeLessThan(big.length);
      await page.context().setOffline(false);
      expect(await shownHash('stor.ggb')).toBe(sha256(big));
      const [bigRow] = await uploads('stor.ggb');
      expect(await uploads('stor.ggb')).toHaveLength(1);
      expect(bigRow).toMatchObject({ completed: true, sha256: sha256(big), stored: big.length });

      // 3. A reload in the middle of an upload: the queue in IndexedDB resumes the same upload.
      const third = ggb(2 * MB);
      await page.setInputFiles('#attachment-input', { name: 'genindlæst.ggb', mimeType: 'application/vnd.geogebra.file', buffer: third });
      await serverHas('genindlæst.ggb', 512 * 1024);
      await page.reload();
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
      expect(await shownHash('genindlæst.ggb')).toBe(sha256(third));
      expect(await uploads('genindlæst.ggb')).toMatchObject([{ completed: true, sha256: sha256(third), stored: third.length }]);
      expect(creations).toHaveLength(3);

      // 4. A pasted PNG is shown at once and becomes an attachment, shown from the server.
      const image = realPng();
      await page.click('.answer-editor');
      await page.keyboard.type('Min tegning: ');
      await page.evaluate((b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
        document.querySelector('.answer-editor')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, image.toString('base64'));
      const imageId = await page
        .waitForFunction(
          () => {
            const img = document.querySelector<HTMLImageElement>('.answer-editor img[data-attachment-id]');
            return img?.complete && img.naturalWidth === 40 && img.getAttribute('src')?.startsWith('/api/attachments/files/') ? img.dataset.attachmentId : null;
          },
          null,
          { timeout: 30_000 },
        )
        .then((h) => h.jsonValue() as Promise<string>);
      const [imageRow] = (await demo.database.db.query<Row>(`SELECT id, sha256 FROM attachment_uploads WHERE id = $1`, [imageId])).rows;
      expect(imageRow.sha256).toBe(sha256(image));
      await page.waitForFunction((id) => document.querySelector(`#attachment-done li[data-attachment-id="${id}"]`), imageId);
      await screenshot(page, 'candidate-attachments');

      // 5. The hand-in: the receipt lists every attachment with the server's hash.
      await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 20_000 });
      await page.click('#hand-in');
      await page.keyboard.press('Space');
      await page.click('#confirm-hand-in');
      await page.waitForSelector('#receipt-attachments', { timeout: 20_000 });
      const receipt = await page.$$eval('#receipt-attachments li', (lis) => lis.map((li) => li.textContent ?? ''));
      expect(receipt).toHaveLength(4);
      for (const [name, hash] of [
        ['trekant.ggb', sha256(small)],
        ['stor.ggb', sha256(big)],
        ['genindlæst.ggb', sha256(third)],
      ]) {
        expect(receipt.find((t) => t.includes(name))).toContain(hash);
      }
      expect(receipt.some((t) => t.includes(sha256(image)))).toBe(true);
    } catch (err) {
      await screenshot(page, 'candidate-attachments-failure');
      throw err;
    }
  });

  it("refuses a pasted image when the sitting allows no images, and shows the server's refusal of a type it does not allow, removes a dropped file once it is finished, and warns of a file still on its way at hand-in, which the browser then forgets", async () => {
    await demo.database.db.query(`UPDATE sittings SET aids = aids || '{"attachments": ["ggb"]}'::jsonb`);
    const other = await demo.page({ serviceWorkers: 'block' });
    try {
      await signIn(other, demo.server.url, 'elev06', 'elev-demo');
      await other.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
      await other.click('.answer-editor');
      await other.keyboard.type('Tekst.');
      await other.evaluate((b64) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
        document.querySelector('.answer-editor')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, realPng().toString('base64'));
      await other.waitForSelector('#attachment-message:not([hidden])');
      expect(await other.textContent('#attachment-message')).toBe('Billeder kan ikke sættes ind i besvarelsen ved denne prøve.');
      expect(await other.$('.answer-editor img')).toBeNull();

      await other.setInputFiles('#attachment-input', { name: 'noter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      await other.waitForFunction(() => document.querySelector('#attachment-message')?.textContent?.startsWith('noter.pdf'), null, { timeout: 15_000 });
      expect(await other.textContent('#attachment-message')).toBe('noter.pdf blev ikke gemt: Denne filtype er ikke tilladt ved prøven.');
      await other.waitForFunction(() => document.querySelectorAll('.attachment-queue li').length === 0);
      expect(await other.evaluate(() => document.querySelectorAll('#attachment-done li').length)).toBe(0);

      // A finished file taken back before hand-in: gone from the list and from the server; focus stays in the panel.
      // Dropped onto the answer (past the lockdown guard, which lets a drop of files only through): it joins the queue.
      const dropped = await other.evaluateHandle((b64) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'slettes.ggb', { type: 'application/vnd.geogebra.file' }));
        return dt;
      }, ggb(10_000).toString('base64'));
      const box = (await other.locator('.answer-editor').boundingBox())!; // ProseMirror takes a drop only at a place in the text
      await other.dispatchEvent('.answer-editor', 'drop', { dataTransfer: dropped, clientX: box.x + 20, clientY: box.y + 10 });
      expect(await other.evaluate(() => document.querySelector('.answer-editor')?.textContent)).toBe('Tekst.');
      await other.waitForSelector('#attachment-done li:has-text("slettes.ggb") >> text=Gemt', { timeout: 15_000 });
      await other.click('button[aria-label="Fjern slettes.ggb"]');
      await other.click('dialog[open] button:has-text("Fjern")');
      await other.waitForFunction(() => document.querySelectorAll('#attachment-done li').length === 0, null, { timeout: 15_000 });
      expect(await uploads('slettes.ggb')).toEqual([]);
      await other.waitForSelector('dialog', { state: 'detached' });
      expect(await other.evaluate(() => document.activeElement?.id)).toBe('attachment-input');

      // A file still on its way when the pupil opens the hand-in: the dialog says it is not included.
      await other.route('**/api/attachments/uploads/*', () => undefined); // its chunks never arrive
      await other.setInputFiles('#attachment-input', { name: 'graf.ggb', mimeType: 'application/vnd.geogebra.file', buffer: ggb(600_000) });
      await other.waitForSelector('.attachment-queue li');
      await other.click('#hand-in');
      expect(await other.textContent('#hand-in-uploading')).toBe('Disse filer er ikke sendt færdig og kommer ikke med, hvis du afleverer nu: graf.ggb.');
      // Handed in anyway: the browser forgets the file that can no longer be part of the answer.
      await other.keyboard.press('Space');
      await other.click('#confirm-hand-in');
      await other.waitForSelector('#receipt-sha256', { timeout: 20_000 });
      const waiting = () =>
        other.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const req = indexedDB.open('provesal-attachments');
              req.onerror = () => reject(req.error);
              req.onsuccess = () => {
                const all = req.result.transaction('queue').objectStore('queue').getAll();
                all.onsuccess = () => resolve(all.result.length);
              };
            }),
        );
      await until(async () => (await waiting()) === 0, { what: 'the waiting file forgotten', timeoutMs: 10_000 });
    } catch (err) {
      await screenshot(other, 'candidate-attachments-refusal-failure');
      throw err;
    }
  });
});
