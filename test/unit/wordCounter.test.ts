import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ANSWER_FRAGMENT, answerPlainText, countWords } from '../../src/protocol/answerDocument.ts';
import { WordCounter } from '../../src/sync/wordCounter.ts';

const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
};
const full = (doc: Y.Doc) => countWords(answerPlainText(doc));

describe('the live word count, block by block', () => {
  it('equals the full count after typing, deleting, splitting and removing blocks, lists and tables', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(ANSWER_FRAGMENT);
    const counter = new WordCounter(fragment);
    expect(counter.count()).toBe(0);
    fragment.push([paragraph('Et to'), paragraph('tre fire fem')]);
    expect(counter.count()).toBe(full(doc));
    const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, ' seks-syv');
    expect(counter.count()).toBe(full(doc));
    text.delete(0, 3); // "to seks-syv"
    expect(counter.count()).toBe(full(doc));
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [paragraph('punkt et'), paragraph('punkt to')]);
    list.insert(0, [item]);
    fragment.insert(1, [list]);
    expect(counter.count()).toBe(full(doc));
    ((item.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'nyt ');
    expect(counter.count()).toBe(full(doc));
    fragment.delete(0, 1);
    expect(counter.count()).toBe(full(doc));
    expect(counter.count()).toBe(8);
  });

  it('falls back to the full count when something other than a block sits at the top level', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(ANSWER_FRAGMENT);
    const counter = new WordCounter(fragment);
    fragment.push([new Y.XmlText('løs'), new Y.XmlText('tekst'), paragraph('og et afsnit')]);
    expect(counter.count()).toBe(full(doc));
    expect(counter.count()).toBe(3); // "løstekstog et afsnit": words run on across the top level
  });

  it('counts a document applied from another (a stored answer loading) like the full count', () => {
    const source = new Y.Doc();
    source.getXmlFragment(ANSWER_FRAGMENT).push([paragraph('Der var engang'), paragraph('en elev')]);
    const doc = new Y.Doc();
    const counter = new WordCounter(doc.getXmlFragment(ANSWER_FRAGMENT));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    expect(counter.count()).toBe(5);
  });
});
