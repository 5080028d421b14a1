import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blocksOf, joinWithPrevious, setParagraphText, splitParagraph, textDiff } from '../../client/src/candidate/exam/simpleBlocks.ts';
import { answerPlainText, ANSWER_FRAGMENT } from '../../src/protocol/answerDocument.ts';

/** Simple writing mode edits the rich editor's fragment (docs/rules.md §13). */
function answer(build: (f: Y.XmlFragment) => void) {
  const doc = new Y.Doc();
  const f = doc.getXmlFragment(ANSWER_FRAGMENT);
  build(f);
  return { doc, f };
}
const para = (text: string, attrs?: Record<string, unknown>) => {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  p.insert(0, [t]);
  t.insert(0, text, attrs);
  return p;
};

describe('simple writing blocks', () => {
  it('textDiff keeps the common prefix and suffix', () => {
    expect(textDiff('en kat sov', 'en hund sov')).toEqual({ index: 3, remove: 3, insert: 'hund' });
    expect(textDiff('abc', 'abc')).toEqual({ index: 3, remove: 0, insert: '' });
    expect(textDiff('aa', 'aaa')).toEqual({ index: 2, remove: 0, insert: 'a' });
  });

  it('edits a paragraph by one small insert/delete, keeping bold text and a concurrent edit elsewhere', () => {
    const { doc, f } = answer((f) => f.insert(0, [para('Hej '), para('verden')]));
    const t = (f.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    t.insert(4, 'fed', { bold: true });
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    ((other.getXmlFragment(ANSWER_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(6, '!');
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    setParagraphText(f, f.get(0) as Y.XmlElement, 'Hej fed kat');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(answerPlainText(doc)).toBe('Hej fed kat\nverden!');
    expect(t.toDelta()).toEqual([{ insert: 'Hej ' }, { insert: 'fed kat', attributes: { bold: true } }]);
    expect(updates[0]!.length).toBeLessThan(40); // an insert of " kat", not the paragraph again
  });

  it('Enter splits a paragraph and Backspace joins it back; headings and lists are kept as they were', () => {
    const { doc, f } = answer((f) => {
      const hd = new Y.XmlElement('heading');
      hd.setAttribute('level', '2');
      hd.insert(0, [new Y.XmlText('Titel')]);
      f.insert(0, [hd, para('førsteanden')]);
    });
    expect(blocksOf(f).map((b) => b.kind)).toEqual(['other', 'paragraph']);
    splitParagraph(f, 1, 6);
    expect(answerPlainText(doc)).toBe('Titel\nførste\nanden');
    expect(joinWithPrevious(f, 2)).toBe(6);
    expect(answerPlainText(doc)).toBe('Titel\nførsteanden');
    expect(joinWithPrevious(f, 1)).toBeNull(); // never merged into a heading
    splitParagraph(f, 1, 11);
    expect(joinWithPrevious(f, 2)).toBe(11); // an empty paragraph is removed
    expect(f.length).toBe(2);
    expect((f.get(0) as Y.XmlElement).nodeName).toBe('heading');
  });

  it('writes the first paragraph of an empty answer', () => {
    const { doc, f } = answer(() => {});
    setParagraphText(f, null, 'Start');
    expect(answerPlainText(doc)).toBe('Start');
  });

  it('never edits or drops a formula: its paragraph is read-only with the LaTeX, Enter and Backspace around it keep it', () => {
    const formula = (name: string, latex: string) => {
      const m = new Y.XmlElement(name);
      m.setAttribute('latex', latex);
      return m;
    };
    const { doc, f } = answer((f) => {
      const p = para('Svar: ');
      p.insert(1, [formula('mathInline', 'x^{2}+1')]);
      f.insert(0, [p, formula('mathDisplay', '\\frac{1}{2}'), para('slut')]);
    });
    const before = answerPlainText(doc);
    expect(before).toBe('Svar: \\(x^{2}+1\\)\n\\[\\frac{1}{2}\\]\nslut');
    const blocks = blocksOf(f);
    expect(blocks.map((b) => b.kind)).toEqual(['other', 'other', 'paragraph']);
    expect(blocks.map((b) => (b.kind === 'other' ? b.name : 'paragraph'))).toEqual(['mathInline', 'mathDisplay', 'paragraph']);
    expect(blocks[0]!.text).toBe('Svar: \\(x^{2}+1\\)');
    expect(blocks[1]!.text).toBe('\\[\\frac{1}{2}\\]');
    // Backspace at the start of "slut" never joins it into the formula; Enter on the formula's row only adds a paragraph.
    expect(joinWithPrevious(f, 2)).toBeNull();
    splitParagraph(f, 0, 2);
    expect(f.length).toBe(4);
    expect(answerPlainText(doc)).toBe(before);
    expect(((f.get(0) as Y.XmlElement).get(1) as Y.XmlElement).getAttribute('latex')).toBe('x^{2}+1');
  });
});
