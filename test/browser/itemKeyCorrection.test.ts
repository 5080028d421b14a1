import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_ITEM_PACKAGE } from '../../src/demo/itemDemo.ts';
import { scoreTest } from '../../src/items/itemScoring.ts';
import { readPackage } from '../../src/items/packageReader.ts';
import { zipDirectory } from '../../src/items/packageZip.ts';
import { storeTestScore } from '../../src/items/queries.ts';
import { planTest } from '../../src/items/testPlan.ts';
import { RESPONSES_MAP } from '../../src/protocol/itemResponses.ts';
import { FIXTURES } from '../unit/qtiFactories.ts';
import { buildSubmission } from '../support/submissionFactories.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

/** The ministry's item test view: a refused upload names file and line; a key correction changes the results (acceptance 4). */
let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 20 * 60 });
  page = await demo.page({ viewport: { width: 1300, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

/** Two handed-in item tests of the demo's item sitting: "60erne" (not yet accepted) and "60'erne". */
async function handIns(sittingId: number) {
  const db = demo.database.db;
  const { rows } = await db.query('SELECT id, exam_number FROM registrations WHERE sitting_id = $1 ORDER BY exam_number LIMIT 2', [sittingId]);
  const read = readPackage(zipDirectory(DEMO_ITEM_PACKAGE), 'demo.zip');
  if (!read.ok) throw new Error('demo package refused');
  const plan = planTest(read.pkg).plan!;
  for (const [i, answer] of ['60erne', "60'erne"].entries()) {
    const doc = new Y.Doc();
    doc.getMap(RESPONSES_MAP).set('q03-tresserne', { RESPONSE: answer });
    const { submissionId } = await buildSubmission(db, { registrationId: rows[i].id, state: Y.encodeStateAsUpdate(doc), enqueue: false });
    await storeTestScore(db, submissionId, scoreTest(plan, [], doc));
  }
  return rows.map((r) => r.exam_number as string);
}

const openItemSitting = async (p: Page) => {
  await p.locator('#sittings tbody tr', { hasText: 'retskrivning' }).locator('button').click();
  await p.waitForSelector('#item-test h2');
};

describe("the ministry's item test in Chromium", () => {
  it('shows a refused package’s problems with file and line, then corrects a key after the exam and the results list changes', async () => {
    try {
      const db = demo.database.db;
      const sittingId = (await db.query("SELECT id FROM sittings WHERE subject LIKE '%retskrivning%'")).rows[0].id as number;
      await signIn(page, demo.server.url, 'ministeriet', 'ministeriet-demo');
      await page.waitForSelector('#sittings tbody tr');
      await openItemSitting(page);
      expect(await page.textContent('#item-package')).toBe('Opgavepakke: 13 opgaver i 2 dele, forseglet.');

      // A package with an unsupported interaction: refused, every problem named with file and line, nothing stored.
      await page.setInputFiles('#item-file', { name: 'skyder.zip', mimeType: 'application/zip', buffer: Buffer.from(zipDirectory(`${FIXTURES}/unsupported`)) });
      await page.click('button:has-text("Kontrollér og forsegl")');
      await page.waitForSelector('#item-problems li');
      expect(await page.textContent('#item-upload-result [role=alert]')).toBe('Pakken blev afvist: 1 fejl. Intet er gemt.');
      expect(await page.textContent('#item-problems li')).toBe(
        'items/skyder.xml:17 – unsupported interaction <qti-slider-interaction>: the item cannot be delivered',
      );

      // The exam is over with two submissions.
      const [first, second] = await handIns(sittingId);
      await db.query("UPDATE sittings SET starts_at = now() - interval '5 hours'");
      await page.click('button:has-text("← Alle prøver")');
      await page.waitForSelector('#sittings tbody tr');
      await openItemSitting(page);
      await page.waitForSelector('#item-results tbody tr');
      const total = (exam: string) => page.locator('#item-results tbody tr', { hasText: exam }).locator('td').textContent();
      expect(await total(first)).toBe('0 / 21');
      expect(await total(second)).toBe('1 / 21');
      expect(await page.getAttribute('#item-statistics a', 'href')).toBe(`/api/sittings/${sittingId}/items/statistics?format=csv`);
      expect(await page.locator('#item-statistics tbody tr', { hasText: 'q03-tresserne' }).locator('td').nth(2).textContent()).toBe('50 %');

      // Accept "60erne": a named confirmation, then every submission is rescored and the list changes.
      await page.selectOption('#kc-item', 'q03-tresserne');
      await page.fill('#kc-value', '60erne');
      await page.click('#kc-open');
      await page.waitForSelector('dialog[open] #confirm-submit');
      const dialogTitle = await page.evaluate(
        () => document.getElementById(document.querySelector('dialog[open]')!.getAttribute('aria-labelledby')!)?.textContent,
      );
      expect(dialogTitle).toBe('Ret nøglen til q03-tresserne?');
      expect(await page.textContent('dialog[open]')).toContain('»60erne« godkendes med 1 point');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#kc-result:has-text("Nøglen er rettet")');
      expect(await page.textContent('#kc-result')).toBe('Nøglen er rettet. 2 besvarelser genberegnet, 1 fik ændret point.');
      await page.waitForFunction((exam) => [...document.querySelectorAll('#item-results tbody tr')].some((r) => r.textContent === `${exam}1 / 21`), first);
      expect(await total(first)).toBe('1 / 21');
      expect(await total(second)).toBe('1 / 21');
      const audit = await db.query("SELECT count(*)::int AS n FROM audit_events WHERE action IN ('items.key_corrected', 'items.rescored')");
      expect(audit.rows[0].n).toBe(2);
      // The new view keeps the a11y bar (npm run test:a11y): no critical or serious WCAG 2.1 AA violation.
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
      await screenshot(page, 'ministry-item-test');
    } catch (err) {
      await screenshot(page, 'ministry-item-test-failure');
      throw err;
    }
  });
});
