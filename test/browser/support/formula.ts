import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import type { Queryable } from '../../../src/db/pool.ts';
import { ANSWER_FRAGMENT, FORMULA_INLINE, LATEX_ATTR } from '../../../src/protocol/answerDocument.ts';
import { loadStoredDocument } from '../../../src/sync/queries.ts';

/** A pupil's answer as PostgreSQL holds it (snapshot + update log), as a Y.Doc. */
export async function storedAnswerDoc(q: Queryable, username: string): Promise<Y.Doc> {
  const { rows } = await q.query(
    `SELECT r.id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
    [username],
  );
  const stored = await loadStoredDocument(q, rows[0].id as number);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

/** The LaTeX of every inline formula in the answer, in order. */
export function inlineFormulas(doc: Y.Doc): string[] {
  const out: string[] = [];
  const walk = (n: Y.XmlElement | Y.XmlFragment) => {
    for (const c of n.toArray()) {
      if (!(c instanceof Y.XmlElement)) continue;
      if (c.nodeName === FORMULA_INLINE) out.push(String(c.getAttribute(LATEX_ATTR)));
      walk(c);
    }
  };
  walk(doc.getXmlFragment(ANSWER_FRAGMENT));
  return out;
}

/** Reads until `ok` holds or the time is up, and returns the last value read (the assertion after it says what was wrong). */
export async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeout = 15_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Critical and serious axe violations, in high-contrast and normal mode (set as applyPrefs() does: a modal makes the header inert). */
export async function axeSeriousBothModes(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const mode of ['high', 'normal']) {
    await page.evaluate((m) => (document.documentElement.dataset.contrast = m), mode);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of result.violations) if (v.impact === 'critical' || v.impact === 'serious') found.push(`${mode}: ${v.id}: ${v.nodes[0]?.target.join(' ')}`);
  }
  return found;
}

type EditorDom = { editor: { state: { selection: { from: number } } } };

/** ArrowLeft, then wait until ProseMirror has read the move: its arrow over a formula selects it only if it knows where the caret is. */
export async function arrowLeftRead(page: Page): Promise<void> {
  const before = await page.evaluate(() => (document.querySelector('#answer-editor') as unknown as EditorDom).editor.state.selection.from);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((b) => (document.querySelector('#answer-editor') as unknown as EditorDom).editor.state.selection.from !== b, before, {
    timeout: 5_000,
  });
}
