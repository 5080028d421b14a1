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
import { extendedTextFragment, RESPONSES_MAP } from '../../src/protocol/itemResponses.ts';
import { buildSubmission } from '../support/submissionFactories.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

/** A grader scores an extended-text item with the keyboard only, and the total follows (docs/rules.md §14.9). */
let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: -60 });
  page = await demo.page({ viewport: { width: 1300, height: 900 } });
});
afterAll(async () => {
  await demo?.stop();
});

/** A handed-in item test of the demo's item sitting, scored as the hand-in would (q01 right, q12 written). */
async function itemSubmission() {
  const db = demo.database.db;
  const { rows } = await db.query(
    "SELECT r.id, r.exam_number FROM registrations r JOIN sittings s ON s.id = r.sitting_id WHERE s.subject LIKE '%retskrivning%' ORDER BY r.exam_number LIMIT 1",
  );
  const doc = new Y.Doc();
  doc.getMap(RESPONSES_MAP).set('q01-valg', { RESPONSE: 'B' });
  const para = new Y.XmlElement('paragraph');
  doc.getXmlFragment(extendedTextFragment('q12-skriv', 'RESPONSE')).insert(0, [para]);
  const words = new Y.XmlText();
  para.insert(0, [words]);
  words.insert(0, 'I sommerferien var vi på Bornholm.');
  const { submissionId } = await buildSubmission(db, { registrationId: rows[0].id, state: Y.encodeStateAsUpdate(doc) });
  const read = readPackage(zipDirectory(DEMO_ITEM_PACKAGE), 'demo.zip');
  if (!read.ok) throw new Error('demo package refused');
  await storeTestScore(db, submissionId, scoreTest(planTest(read.pkg).plan!, [], doc));
  return { submissionId, examNumber: rows[0].exam_number as string };
}

describe('item test scores in the graders’ portal', () => {
  it('a grader scores an extended-text item by keyboard; the total and the audit follow', async () => {
    try {
      const db = demo.database.db;
      const { submissionId, examNumber } = await itemSubmission();
      await db.query("UPDATE sittings SET starts_at = now() - interval '5 hours'");
      await signIn(page, demo.server.url, 'censor1', 'censor-demo');
      await page.waitForSelector('main tbody button');
      await page.locator('main tbody tr', { hasText: 'retskrivning' }).locator('button').click();
      const open = page.locator(`button:has-text("Point for ${examNumber}")`);
      await open.waitFor();
      const row = page.locator('main tbody tr', { has: open });
      expect(await row.textContent()).toContain('1 / 21');

      // Keyboard only from here: open the sheet, fill the extended text's score and save.
      await open.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((exam) => document.activeElement?.tagName === 'H3' && document.activeElement.textContent === `Point for ${exam}`, examNumber);
      expect(await page.textContent(`#item-total-${submissionId}`)).toBe('I alt: 1 af 21 point');
      expect(await page.getAttribute(`a[href="/api/submissions/${submissionId}/grader.pdf"]`, 'download')).toBe(`${examNumber}-bedoemmer.pdf`);
      const field = page.locator(`#item-${submissionId}-q12-skriv-score`);
      expect(await field.evaluate((n) => (n as HTMLInputElement).labels?.[0]?.textContent)).toBe('Point for opgave 12');
      await field.focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('3');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`item-${submissionId}-q12-skriv-reason`);
      await page.keyboard.type('God sætningsbygning');
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => document.getElementById(`item-total-${id}`)?.textContent === 'I alt: 4 af 21 point', submissionId);
      expect(await row.textContent()).toContain('4 / 21');
      expect(await page.textContent('#announcer')).toBe(`Opgave 12: 3 point gemt for ${examNumber}`);
      const audit = await db.query("SELECT details FROM audit_events WHERE action = 'items.score_set' AND subject_id = $1", [String(submissionId)]);
      expect(audit.rows.map((r) => r.details)).toEqual([expect.objectContaining({ item: 'q12-skriv', old: 0, new: 3, totalOld: 1, totalNew: 4 })]);

      // Changing an automatic score without a reason is refused, and the page says why.
      const auto = page.locator(`#item-${submissionId}-q01-valg-score`);
      await auto.focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('0');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`form:has(#item-${submissionId}-q01-valg-score) .error`);
      expect(await page.textContent(`form:has(#item-${submissionId}-q01-valg-score) .error`)).toBe(
        'Skriv en begrundelse, når du ændrer et automatisk givet point.',
      );
      // The new view keeps the a11y bar (npm run test:a11y): no critical or serious WCAG 2.1 AA violation.
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
      await screenshot(page, 'grader-item-scores');
    } catch (err) {
      await screenshot(page, 'grader-item-scores-failure');
      throw err;
    }
  });
});
