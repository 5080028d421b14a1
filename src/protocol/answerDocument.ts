import * as Y from 'yjs';

/** The answer's root in every Y.Doc: a ProseMirror document as Y.XmlFragment (docs/rules.md §4.3). */
export const ANSWER_FRAGMENT = 'answer';

const INLINE = new Set(['text', 'hardBreak', 'image']);

/**
 * The answer as plain text: blocks (paragraphs, headings, list items, table cells) end with a newline,
 * hard breaks become newlines. Its UTF-8 SHA-256 is the receipt's hash, so this must stay stable.
 */
export function answerPlainText(doc: Y.Doc): string {
  return fragmentPlainText(doc.getXmlFragment(ANSWER_FRAGMENT));
}

/** One rich-text fragment as plain text, by the same rules as the answer (an item test's extended texts use it). */
export function fragmentPlainText(fragment: Y.XmlFragment): string {
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
    if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
      if (node instanceof Y.XmlElement && !INLINE.has(node.nodeName) && !/\n$/.test(out[out.length - 1] ?? '\n')) out.push('\n');
    }
  };
  walk(fragment);
  return out.join('').replace(/\n+$/, '');
}

export const countWords = (text: string): number => (text.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []).length;
