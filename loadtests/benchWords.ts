/**
 * What a word count costs the node that holds the answer (src/sync/wordCounter.ts): a whole answer walked, and
 * the live room's count after one keystroke. Prints one JSON line. `npx tsx loadtests/benchWords.ts`
 */
import * as Y from 'yjs';
import { ANSWER_FRAGMENT, answerPlainText, countWords } from '../src/protocol/answerDocument.ts';
import { WordCounter } from '../src/sync/wordCounter.ts';

const doc = new Y.Doc();
const fragment = doc.getXmlFragment(ANSWER_FRAGMENT);
const counter = new WordCounter(fragment);
const words = 'Det var en kold morgen på skolen, og eleverne sad klar ved deres computere med æbler og kakao'.split(' ');
const texts: Y.XmlText[] = [];
// 40 paragraphs typed key by key, as a pupil's editor sends them: about 1,600 words in many small structs.
for (let p = 0; p < 40; p++) {
  const paragraph = new Y.XmlElement('paragraph');
  fragment.push([paragraph]);
  const text = new Y.XmlText();
  paragraph.push([text]);
  texts.push(text);
  for (let i = 0; i < 40; i++) for (const ch of `${words[i % words.length]} `) text.insert(text.length, ch);
}

const time = (n: number, f: () => void) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
};
const full = time(200, () => countWords(answerPlainText(doc)));
counter.count();
// The keystroke itself is the pupil's cost, not the count's: measured alone and taken off.
const keystroke = time(2_000, () => texts[16].insert(3, 'x'));
const incremental =
  time(2_000, () => {
    texts[17].insert(3, 'x');
    counter.count();
  }) - keystroke;
const same = counter.count() === countWords(answerPlainText(doc));
console.log(
  JSON.stringify({
    words: countWords(answerPlainText(doc)),
    fullCountMs: +full.toFixed(3),
    afterKeystrokeMs: +incremental.toFixed(4),
    pupilsPerCoreAtOneCountPerSecond: Math.round(1000 / incremental),
    same,
  }),
);
