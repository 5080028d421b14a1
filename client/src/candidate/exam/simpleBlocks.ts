import * as Y from 'yjs';
import { FORMULA_BLOCK, FORMULA_INLINE, formulaText, LATEX_ATTR } from '../../../../src/protocol/answerDocument.ts';

/**
 * Simple writing mode's view of the answer (docs/rules.md §13): the top-level blocks of the ProseMirror
 * fragment, of which plain paragraphs are editable as text. Every change is a small Y.XmlText edit at the
 * changed range, never a rewrite, so other devices' edits and the persisted acknowledgement stay intact.
 * A paragraph holding a formula is never edited here (rules §16.1): it is shown read-only, the formula as its LaTeX.
 */

/** Local edits carry this origin, so the simple editor does not re-render for its own changes. */
export const SIMPLE_ORIGIN = 'simple-writing';

export type Block =
  { kind: 'paragraph'; element: Y.XmlElement; text: string } | { kind: 'other'; element: Y.XmlElement | Y.XmlText; name: string; text: string };

type Op = { insert: unknown; attributes?: Record<string, unknown> };
const textOf = (t: Y.XmlText): string => (t.toDelta() as Op[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');

/** The text of any block as the receipt reads it (block ends and hard breaks as newlines). */
function plainOf(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText) return textOf(node);
  if (node.nodeName === 'hardBreak') return '\n';
  if (isFormula(node)) return formulaText(node.nodeName, node.getAttribute(LATEX_ATTR));
  const inner = node.toArray().map((c) => plainOf(c as Y.XmlElement | Y.XmlText));
  return node.nodeName === 'paragraph' || node.nodeName === 'heading' ? inner.join('') : inner.filter((s) => s !== '').join('\n');
}

const isFormula = (n: unknown): boolean => n instanceof Y.XmlElement && (n.nodeName === FORMULA_INLINE || n.nodeName === FORMULA_BLOCK);

/** A paragraph holding only text (no hard break, image or formula) is edited as one text area. */
const plainParagraph = (n: unknown): n is Y.XmlElement =>
  n instanceof Y.XmlElement && n.nodeName === 'paragraph' && n.toArray().every((c) => c instanceof Y.XmlText) && n.length <= 1;

export function blocksOf(fragment: Y.XmlFragment): Block[] {
  return fragment.toArray().map((n) => {
    const node = n as Y.XmlElement | Y.XmlText;
    if (plainParagraph(node)) return { kind: 'paragraph', element: node, text: plainOf(node) };
    const name = node instanceof Y.XmlElement ? (node.toArray().some(isFormula) ? FORMULA_INLINE : node.nodeName) : 'text';
    return { kind: 'other', element: node, name, text: plainOf(node) };
  });
}

/** The smallest single change turning `before` into `after`: common prefix and suffix kept. */
export function textDiff(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) start++;
  let end = 0;
  while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

function textNode(p: Y.XmlElement): Y.XmlText {
  const first = p.get(0);
  if (first instanceof Y.XmlText) return first;
  const t = new Y.XmlText();
  p.insert(0, [t]);
  return t;
}

const transact = (fragment: Y.XmlFragment, fn: () => void) => (fragment.doc ? fragment.doc.transact(fn, SIMPLE_ORIGIN) : fn());

/** Sets paragraph `p` (or a new first paragraph when the answer is empty) to `text` by one minimal edit. */
export function setParagraphText(fragment: Y.XmlFragment, p: Y.XmlElement | null, text: string): Y.XmlElement {
  let target = p;
  transact(fragment, () => {
    if (!target) {
      target = new Y.XmlElement('paragraph');
      fragment.insert(fragment.length, [target]);
    }
    const t = textNode(target);
    const d = textDiff(textOf(t), text);
    if (d.remove) t.delete(d.index, d.remove);
    if (d.insert) t.insert(d.index, d.insert);
  });
  return target!;
}

/** The formatted text from `from` to the end, as delta ops (bold, italic… kept when a paragraph is split or joined). */
function tailDelta(t: Y.XmlText, from: number): Op[] {
  const out: Op[] = [];
  let pos = 0;
  for (const op of t.toDelta() as Op[]) {
    if (typeof op.insert !== 'string') continue;
    const s = op.insert;
    if (pos + s.length > from) out.push({ insert: s.slice(Math.max(0, from - pos)), ...(op.attributes ? { attributes: op.attributes } : {}) });
    pos += s.length;
  }
  return out;
}

/** Enter: paragraph `index` is split at `at`; the new paragraph after it gets the rest. */
export function splitParagraph(fragment: Y.XmlFragment, index: number, at: number): void {
  transact(fragment, () => {
    const p = fragment.get(index);
    const next = new Y.XmlElement('paragraph');
    // Only a plain paragraph is cut: one that changed meanwhile (say, got a formula) just gets an empty one after it.
    if (plainParagraph(p) && p.get(0) instanceof Y.XmlText) {
      const t = p.get(0) as Y.XmlText;
      const tail = tailDelta(t, at);
      const len = textOf(t).length;
      if (at < len) t.delete(at, len - at);
      fragment.insert(index + 1, [next]);
      if (tail.length) {
        const nt = new Y.XmlText();
        next.insert(0, [nt]);
        nt.applyDelta(tail);
      }
    } else fragment.insert(index + 1, [next]);
  });
}

/**
 * Backspace at the start of paragraph `index`: an empty one is removed; otherwise its text joins the paragraph
 * before (only if that is a plain paragraph). Returns the caret position in the previous block, or null if nothing changed.
 */
export function joinWithPrevious(fragment: Y.XmlFragment, index: number): number | null {
  const blocks = blocksOf(fragment);
  const cur = blocks[index];
  const prev = blocks[index - 1];
  if (!cur || cur.kind !== 'paragraph' || !prev) return null;
  if (cur.text === '') {
    transact(fragment, () => fragment.delete(index, 1));
    return prev.text.length;
  }
  if (prev.kind !== 'paragraph') return null;
  const caret = prev.text.length;
  transact(fragment, () => {
    const moved = tailDelta(cur.element.get(0) as Y.XmlText, 0);
    const t = textNode(prev.element);
    let pos = caret;
    for (const op of moved) {
      t.insert(pos, op.insert as string, op.attributes ?? {});
      pos += (op.insert as string).length;
    }
    fragment.delete(index, 1);
  });
  return caret;
}
