import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
let page: Page;

beforeAll(async () => {
  // Twenty minutes ahead: the demo's lobby (which opens at least 30 minutes before) is open, the sitting not started.
  demo = await startDemo({ startsInSeconds: 20 * 60 });
  page = await demo.page({ viewport: { width: 1300, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

const active = (p: Page) =>
  p.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent ?? '', title: document.title }));
const announced = (p: Page) => p.textContent('#announcer');
const DANISH_DATE_TIME = /^\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d{2}:\d{2}$/;

describe("the ministry's sittings in Chromium", () => {
  it('shows real states and papers, chooses schools by name, explains a refused form, and cancels only after a named confirmation with a reason', async () => {
    try {
      await signIn(page, demo.server.url, 'ministeriet', 'ministeriet-demo');
      await page.waitForSelector('#sittings tbody tr');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      expect(await active(page)).toMatchObject({ tag: 'H1', text: 'Prøver', title: 'Prøver – Prøvesal' });
      expect(await announced(page)).toMatch(/^Prøver: 3 i alt\.$/); // the demo's essay, item test and mathematics

      const demoRow = page.locator('#sittings tbody tr:has-text("skriftlig fremstilling")');
      expect(await demoRow.locator('.state').textContent()).toBe('Lobby åben');
      expect(await demoRow.locator('.paper').textContent()).toBe('Tekst uploadet');
      expect((await demoRow.locator('td').first().textContent())!).toMatch(DANISH_DATE_TIME);

      // A refused form says what to do in words, not in schema terms.
      const date = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
      await page.fill('#s-subject', 'Engelsk');
      await page.fill('#s-date', date);
      await page.fill('#s-duration', '');
      await page.click('button:has-text("Opret prøve")');
      await page.waitForSelector('form .error:has-text("Udfyld feltet »Varighed (minutter)«.")');
      expect(await page.textContent('form .error')).not.toMatch(/Invalid input|expected|received/);

      // Schools by name: the demo school is a labelled checkbox.
      await page.fill('#s-duration', '120');
      await page.fill('#s-school-filter', 'demo');
      await page.check('label:has-text("Demo Skole")');
      // Attachments allowed per kind: labelled checkboxes in a "Vedhæftede filer" group, ticked by keyboard too.
      expect(await page.locator('fieldset:has(legend:has-text("Vedhæftede filer")) input[type=checkbox]').count()).toBe(6);
      await page.check('label:has-text("Billeder")');
      await page.focus('#s-attach-ggb');
      await page.keyboard.press('Space');
      await page.click('button:has-text("Opret prøve")');
      await page.waitForSelector('#sittings tbody tr:has-text("Engelsk (FP9)")');
      const stored = await demo.database.db.query("SELECT aids FROM sittings WHERE subject = 'Engelsk'");
      expect(stored.rows[0].aids.attachments).toEqual(['image', 'ggb']);
      const newRow = page.locator('#sittings tbody tr:has-text("Engelsk (FP9)")');
      expect(await newRow.locator('.state').textContent()).toBe('Planlagt');
      expect(await newRow.locator('.paper').textContent()).toBe('Mangler');
      expect(await announced(page)).toBe('Prøven er oprettet.');

      await newRow.locator('button:has-text("Åbn")').click();
      await page.waitForSelector('#cancel-sitting');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      const opened = await active(page);
      expect(opened.text).toMatch(/^Engelsk \(FP9\) · \d{1,2}\. [a-zæøå]+ \d{4} kl\. 09:00$/);
      expect(opened.title).toBe('Engelsk (FP9) – Prøvesal');
      expect(await announced(page)).toBe('Engelsk (FP9) åbnet. Status: Planlagt.');
      expect(await page.textContent('main')).toContain('Skoler: Demo Skole');

      // One click does not cancel: a dialog named by the sitting asks, and Escape returns focus to the button.
      await page.click('#cancel-sitting');
      const dialog = page.locator('dialog[open]');
      await dialog.waitFor();
      const name = await dialog.evaluate((d) => document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent);
      expect(name).toBe('Aflys Engelsk (FP9)?');
      expect(await dialog.textContent()).toMatch(/Engelsk \(FP9\), \d{1,2}\. [a-zæøå]+ \d{4} kl\. 09:00, aflyses/);
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog[open]', { state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('cancel-sitting');
      expect(await (await demo.database.db.query("SELECT count(*)::int AS n FROM sittings WHERE status = 'cancelled'")).rows[0].n).toBe(0);

      await page.click('#cancel-sitting');
      await page.click('#confirm-submit');
      await page.waitForSelector('dialog[open] .error:has-text("Skriv en begrundelse på mindst 3 tegn.")');
      await page.fill('#confirm-reason', 'Opgavesættet er trukket tilbage');
      await screenshot(page, 'ministry-cancel-dialog');
      await page.click('#confirm-submit');
      await page.waitForSelector('#sittings tbody tr:has-text("Engelsk (FP9)") .state:has-text("Aflyst")');
      expect(await announced(page)).toBe('Engelsk (FP9) er aflyst.');
      const audit = await demo.database.db.query("SELECT details FROM audit_events WHERE action = 'sitting.cancelled'");
      expect(audit.rows.map((r) => r.details.reason)).toEqual(['Opgavesættet er trukket tilbage']);
    } catch (err) {
      await screenshot(page, 'ministry-failure');
      throw err;
    }
  });
});
