import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSubmission } from '../support/submissionFactories.ts';
import { until } from '../support/poll.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: -60 });
  page = await demo.page({ viewport: { width: 1300, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

const focus = (p: Page) => p.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent, title: document.title }));

describe("the grader's portal in Chromium", () => {
  it('keeps grading closed until the sitting has ended, then saves a multi-line note, and labels the demo certificate', async () => {
    try {
      const db = demo.database.db;
      const { rows } = await db.query(
        "SELECT r.id FROM registrations r JOIN sittings s ON s.id = r.sitting_id WHERE r.exam_number LIKE '%0001' AND s.subject = 'Dansk – skriftlig fremstilling'",
      );
      const { submissionId } = await buildSubmission(db, { registrationId: rows[0].id });

      await signIn(page, demo.server.url, 'censor1', 'censor-demo');
      await page.waitForSelector('main tbody button');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      expect(await focus(page)).toEqual({ tag: 'H1', text: 'Censur', title: 'Censur – Prøvesal' });
      expect(await page.textContent('#announcer')).toBe('Censur: 3 prøver.'); // the demo's essay, item test and mathematics

      // The sitting is running: the list is there, grading is not, and the page says when it opens.
      await page.click('main tbody tr:has-text("skriftlig fremstilling") button');
      await page.waitForSelector('#grading-closed');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      expect(await focus(page)).toEqual({ tag: 'H1', text: 'Dansk – skriftlig fremstilling (FP9)', title: 'Dansk – skriftlig fremstilling (FP9) – Prøvesal' });
      expect(await page.textContent('#grading-closed')).toMatch(/^Bedømmelsen åbner, når prøven er afsluttet \(\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d{2}:\d{2}\)\./);
      expect(await page.textContent('#announcer')).toContain('Bedømmelsen åbner, når prøven er afsluttet');
      expect(await page.locator('main tbody select').count()).toBe(0);

      // The sitting ends (every pupil's time is over): grading opens.
      await db.query("UPDATE sittings SET starts_at = now() - interval '5 hours'");
      await page.click('button:has-text("Opdatér")');
      await page.waitForSelector(`#grade-${submissionId}`);
      expect(await page.locator('#grading-closed').count()).toBe(0);
      const note = page.locator(`#note-${submissionId}`);
      expect(await note.evaluate((n) => [n.tagName, (n as HTMLTextAreaElement).labels?.[0]?.textContent])).toEqual([
        'TEXTAREA',
        expect.stringMatching(/^Bemærkning til /),
      ]);
      await page.selectOption(`#grade-${submissionId}`, '10');
      await note.click();
      await page.keyboard.type('Klar disposition.');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Enkelte stavefejl.');
      await page.click('main tbody button:has-text("Gem")');
      await page.waitForSelector('main tbody .ok:has-text("Gemt")');
      expect((await db.query('SELECT grade, note FROM grades')).rows).toEqual([{ grade: '10', note: 'Klar disposition.\nEnkelte stavefejl.' }]);
      await page.click('button:has-text("Opdatér")');
      await page.waitForFunction(
        (id) => (document.getElementById(`note-${id}`) as HTMLTextAreaElement | null)?.value === 'Klar disposition.\nEnkelte stavefejl.',
        submissionId,
      );

      // The demo's self-made certificate: valid, but never "betroet".
      await until(async () => (await db.query('SELECT pdf IS NOT NULL AS ready FROM submissions WHERE id = $1', [submissionId])).rows[0].ready, {
        what: 'the signed PDF',
        timeoutMs: 60_000,
      });
      const pdf = (await db.query('SELECT pdf FROM submissions WHERE id = $1', [submissionId])).rows[0].pdf as Buffer;
      await page.setInputFiles('#verify-file', { name: 'besvarelse.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.waitForSelector('#verify-result dl');
      const verdict = (await page.textContent('#verify-result'))!;
      expect(verdict).toContain('Gyldig');
      expect(verdict).toContain('Demo-certifikat (lavet af denne Prøvesal-installation, ikke betroet)');
      expect(verdict).not.toMatch(/\(betroet\)|Betroet:/);
      await screenshot(page, 'grader-portal');
    } catch (err) {
      await screenshot(page, 'grader-failure');
      throw err;
    }
  });
});
