import * as Y from 'yjs';

/** The answer's root in every Y.Doc: a ProseMirror document as Y.XmlFragment (docs/rules.md §4.3). */
export const ANSWER_FRAGMENT = 'answer';

/**
 * Formulas in the answer (docs/rules.md §16): an inline formula (`mathInline`, inside a paragraph) or a display
 * formula (`mathDisplay`, a block of its own), each an atom node whose LaTeX source is its attribute `latex`.
 */
export const FORMULA_INLINE = 'mathInline';
export const FORMULA_BLOCK = 'mathDisplay';
export const LATEX_ATTR = 'latex';
/** Longer LaTeX is kept and hashed, but printed as its source rather than rendered (§16.3). */
export const MAX_RENDERED_LATEX_BYTES = 10 * 1024;

/**
 * An image in the answer that is one of the pupil's attachments (§16.4): node `image` whose attribute
 * `attachmentId` names the upload; `src` is only where the browser shows it from.
 */
export const IMAGE_ATTACHMENT_ATTR = 'attachmentId';

const INLINE = new Set(['text', 'hardBreak', 'image', FORMULA_INLINE]);

/** A formula's LaTeX as the plain text has it: `\(…\)` inline, `\[…\]` on its own line. */
export function formulaText(nodeName: string, latex: unknown): string {
  const source = typeof latex === 'string' ? latex : '';
  return nodeName === FORMULA_BLOCK ? `\\[${source}\\]` : `\\(${source}\\)`;
}

/**
 * The answer as plain text: blocks (paragraphs, headings, list items, table cells) end with a newline,
 * hard breaks become newlines, formulas their LaTeX (formulaText). Its UTF-8 SHA-256 is the receipt's hash, so this must stay stable.
 */
export function answerPlainText(doc: Y.Doc): string {
  return plainTextOf(doc.getXmlFragment(ANSWER_FRAGMENT));
}

/**
 * The plain text of one node of the answer (the whole fragment, or one block), or of an item test's extended-text
 * fragment, by the rules of answerPlainText.
 */
export function plainTextOf(root: Y.XmlElement | Y.XmlFragment): string {
  const out: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment | Y.XmlHook) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') out.push(op.insert);
      return;
    }
    if (node instanceof Y.XmlElement && node.nodeName === 'hardBreak') {
      out.push('\n');
      return;
    }
    if (node instanceof Y.XmlElement && (node.nodeName === FORMULA_INLINE || node.nodeName === FORMULA_BLOCK)) {
      out.push(formulaText(node.nodeName, node.getAttribute(LATEX_ATTR)));
      if (node.nodeName === FORMULA_BLOCK) out.push('\n');
      return;
    }
    if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
      if (node instanceof Y.XmlElement && !INLINE.has(node.nodeName) && !/\n$/.test(out[out.length - 1] ?? '\n')) out.push('\n');
    }
  };
  walk(root);
  return out.join('').replace(/\n+$/, '');
}

/** Whether a node is a block: its text ends with a line break, so no word runs on into the next node. */
export const isBlock = (node: unknown): node is Y.XmlElement => node instanceof Y.XmlElement && !INLINE.has(node.nodeName) && node.nodeName !== 'hardBreak';

export const countWords = (text: string): number => (text.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []).length;
