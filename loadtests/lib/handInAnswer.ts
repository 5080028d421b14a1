import * as Y from 'yjs';

/** A finished essay of about `words` Danish words, as autosave would have left it: reproducible from its seed. */
const WORDS = (
  'og i at det en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun nu over da fra du ud sin ' +
  'dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit ' +
  'også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan ' +
  'sø ø år æble grød blåbær skærgård fjord kærlighed frihed fællesskab skole eksamen opgave fortælling ærlighed øjeblik smørrebrød rødgrød'
).split(' ');
export function benchAnswer(seed: number, words: number): { state: Uint8Array; plain: string; wordCount: number } {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment('answer');
  let rnd = seed * 7919 + 13;
  // mulberry32: varied, reproducible word choice (an LCG's low bits repeat the same few words).
  const next = () => {
    rnd = (rnd + 0x6d2b79f5) | 0;
    let x = Math.imul(rnd ^ (rnd >>> 15), 1 | rnd);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (x ^ (x >>> 14)) >>> 0;
  };
  const plain: string[] = [];
  const heading = new Y.XmlElement('heading');
  frag.push([heading]);
  heading.setAttribute('level', 1 as unknown as string);
  const ht = new Y.XmlText();
  heading.push([ht]);
  ht.insert(0, `Min fortælling nr. ${seed}`);
  plain.push(`Min fortælling nr. ${seed}`);
  let left = words;
  while (left > 0) {
    const count = Math.min(left, 60 + (next() % 60));
    left -= count;
    const para = new Y.XmlElement('paragraph');
    frag.push([para]);
    const t = new Y.XmlText();
    para.push([t]);
    const ws = Array.from({ length: count }, () => WORDS[next() % WORDS.length]);
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    const text = ws.join(' ') + '.';
    t.insert(0, text);
    if (count > 10) t.format(0, 5, { bold: {} });
    plain.push(text);
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { state, plain: plain.join('\n'), wordCount: words };
}
