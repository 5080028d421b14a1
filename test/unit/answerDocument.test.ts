import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { answerPlainText, countWords } from '../../src/protocol/answerDocument.ts';

function docWith(build: (f: Y.XmlFragment) => void): Y.Doc {
  const doc = new Y.Doc();
  build(doc.getXmlFragment('answer'));
  return doc;
}
const el = (name: string, children: (Y.XmlElement | Y.XmlText)[], attrs: Record<string, string> = {}) => {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.insert(0, children);
  return e;
};
const txt = (s: string) => new Y.XmlText(s);

describe('answer plain text (the receipt hash input)', () => {
  it('puts each block on its own line and keeps Danish letters', () => {
    const doc = docWith((f) => f.push([el('heading', [txt('Overskrift')], { level: '1' }), el('paragraph', [txt('Æbler og ål.')])]));
    expect(answerPlainText(doc)).toBe('Overskrift\nÆbler og ål.');
  });
  it('flattens lists and tables cell by cell, and hard breaks become newlines', () => {
    const doc = docWith((f) =>
      f.push([
        el('bulletList', [el('listItem', [el('paragraph', [txt('et')])]), el('listItem', [el('paragraph', [txt('to')])])]),
        el('paragraph', [txt('a'), el('hardBreak', []), txt('b')]),
      ]),
    );
    expect(answerPlainText(doc)).toBe('et\nto\na\nb');
  });
  it('ignores formatting marks', () => {
    const doc = docWith((f) => {
      const t = txt('');
      f.push([el('paragraph', [t])]);
      t.insert(0, 'fed', { bold: true });
      t.insert(3, ' tekst');
    });
    expect(answerPlainText(doc)).toBe('fed tekst');
  });
  it('keeps formulas as their LaTeX: inline between \\( \\), a display formula on its own line', () => {
    const doc = docWith((f) =>
      f.push([
        el('paragraph', [txt('Arealet er '), el('mathInline', [], { latex: '\\pi r^2' }), txt('.')]),
        el('mathDisplay', [], { latex: 'x=\\frac{-b}{2a}' }),
        el('paragraph', [txt('Slut')]),
      ]),
    );
    expect(answerPlainText(doc)).toBe('Arealet er \\(\\pi r^2\\).\n\\[x=\\frac{-b}{2a}\\]\nSlut');
    expect(countWords(answerPlainText(doc))).toBeGreaterThan(3);
  });
  it('is empty for an empty answer', () => {
    expect(answerPlainText(new Y.Doc())).toBe('');
  });
  it('counts words with Danish letters and hyphens', () => {
    expect(countWords('Hun gik til sø-bredden, og så 2 ænder.')).toBe(8);
    expect(countWords('')).toBe(0);
  });
});
