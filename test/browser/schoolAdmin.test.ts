import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;
let page: Page;

beforeAll(async () => {
  // The demo sitting started a minute ago.
  demo = await startDemo({ startsInSeconds: -60 });
  page = await demo.page({ viewport: { width: 1300, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

const CSV = 'navn;uni-id;klasse\nCarla Ærø;carla9c;9.C\nUden Id;;9.C\n';

describe("the school administrator's page in Chromium", () => {
  it('reports the CSV import in Danish, asks before registering into a started sitting, and prints codes valid until the end', async () => {
    try {
      await signIn(page, demo.server.url, 'skoleadmin', 'skole-demo');
      await page.waitForSelector('main.school-admin');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      expect(await page.evaluate(() => [document.activeElement?.textContent, document.title])).toEqual([
        'Skoleadministration',
        'Skoleadministration – Prøvesal',
      ]);
      expect(await page.textContent('#announcer')).toBe('Skoleadministration: 2 lokaler, 3 prøver.'); // the demo's essay, item test and mathematics

      await page.setInputFiles('#csv-file', { name: 'elever.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await page.click('button:has-text("Importér")');
      await page.waitForSelector('#import-report table');
      const report = (await page.textContent('#import-report'))!;
      expect(report).toContain('1 oprettet, 0 opdateret, 0 uændret, 1 afvist.');
      expect(await page.locator('#import-report td.status').allTextContents()).toEqual(['Oprettet', 'Afvist']);
      expect(report).not.toMatch(/created|refused|updated|unchanged/i);

      // The sitting has started: registering asks first, and Escape leaves everything as it was.
      await page.fill('#reg-class', '9.C');
      const submit = page.locator('button:has-text("Tilmeld")').first();
      await submit.click();
      const dialog = page.locator('dialog[open]');
      await dialog.waitFor();
      expect(await dialog.evaluate((d) => document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent)).toBe('Prøven er begyndt');
      expect(await dialog.textContent()).toContain('får kun den tid, der er tilbage. Tilmeld klasse 9.C alligevel?');
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog[open]', { state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tilmeld');
      const count = async () =>
        (await demo.database.db.query("SELECT count(*)::int AS n FROM registrations r JOIN candidates c ON c.id = r.candidate_id WHERE c.class_name = '9.C'"))
          .rows[0].n;
      expect(await count()).toBe(0);

      await submit.click();
      await page.click('dialog[open] #confirm-submit');
      await page.waitForSelector('form p[role="status"]:has-text("1 elever tilmeldt.")');
      expect(await count()).toBe(1);
      await screenshot(page, 'school-admin');

      // The sheet names the sitting's end, in the product's one time format.
      const { sitting, sheet } = await page.evaluate(async () => {
        const room = (document.querySelector('#reg-room') as HTMLSelectElement).value;
        const sitting = (document.querySelector('#reg-sitting') as HTMLSelectElement).value;
        return { sitting, sheet: await (await fetch(`/api/schools/rooms/${room}/access-codes?sittingId=${sitting}&format=html`)).text() };
      });
      const { rows } = await demo.database.db.query(
        `SELECT to_char((starts_at + make_interval(mins => duration_minutes)) AT TIME ZONE 'Europe/Copenhagen', 'HH24:MI') AS ends FROM sittings WHERE id = $1`,
        [Number(sitting)],
      );
      expect(sheet.replace(/\s+/g, ' ')).toMatch(new RegExp(`Gælder til prøvens slutning, \\d{1,2}\\. [a-zæøå]+ \\d{4} kl\\. ${rows[0].ends}\\.`));
    } catch (err) {
      await screenshot(page, 'school-admin-failure');
      throw err;
    }
  });
});
