import * as Y from 'yjs';
import { ANSWER_FRAGMENT, FORMULA_BLOCK, FORMULA_INLINE, IMAGE_ATTACHMENT_ATTR, LATEX_ATTR } from '../../src/protocol/answerDocument.ts';

/**
 * Answers with formulas and attachment images, built straight in Yjs as y-prosemirror stores them (the editor's
 * schema with those nodes is the browser's; these tests need only the stored shape, docs/rules.md §16).
 */
export type FNode = { text: string; marks?: string[] } | { formula: string } | { image: { src?: string; attachmentId?: string } };

export const inline = (latex: string): FNode => ({ formula: latex });

export type FBlock = { p: FNode[] } | { display: string } | { image: { src?: string; attachmentId?: string } };

export function formulaAnswer(...blocks: FBlock[]): Uint8Array {
  const doc = new Y.Doc();
  const root = doc.getXmlFragment(ANSWER_FRAGMENT);
  doc.transact(() => {
    for (const b of blocks) {
      if ('display' in b) {
        const el = new Y.XmlElement(FORMULA_BLOCK);
        el.setAttribute(LATEX_ATTR, b.display);
        root.push([el]);
      } else if ('image' in b) {
        root.push([imageEl(b.image)]);
      } else {
        const para = new Y.XmlElement('paragraph');
        root.push([para]);
        for (const n of b.p) {
          if ('text' in n) {
            const t = new Y.XmlText();
            para.push([t]);
            t.insert(0, n.text, Object.fromEntries((n.marks ?? []).map((m) => [m, {}])));
          } else if ('formula' in n) {
            const el = new Y.XmlElement(FORMULA_INLINE);
            el.setAttribute(LATEX_ATTR, n.formula);
            para.push([el]);
          } else para.push([imageEl(n.image)]);
        }
      }
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

function imageEl(o: { src?: string; attachmentId?: string }): Y.XmlElement {
  const el = new Y.XmlElement('image');
  if (o.src !== undefined) el.setAttribute('src', o.src);
  if (o.attachmentId !== undefined) el.setAttribute(IMAGE_ATTACHMENT_ATTR, o.attachmentId);
  return el;
}
