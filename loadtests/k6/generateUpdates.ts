/**
 * k6 has no Yjs: this writes loadtests/k6/updates.json, a sequence of real Yjs updates (one per ~300 ms of
 * typing Danish prose into the `answer` fragment), base64-encoded, for typing.js to send in order.
 *   npx tsx loadtests/k6/generateUpdates.ts
 */
import { writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { danishSentences } from '../lib/danishText.ts';

const doc = new Y.Doc();
doc.clientID = 4242;
const updates: string[] = [];
doc.on('update', (u: Uint8Array) => updates.push(Buffer.from(u).toString('base64')));
const text = danishSentences(7);
const p = new Y.XmlElement('paragraph');
const t = new Y.XmlText();
p.insert(0, [t]);
doc.getXmlFragment('answer').push([p]);
let pending = '';
for (let i = 0; i < 2000; i++) {
  if (pending.length < 3) pending += text.next().value;
  t.insert(t.length, pending.slice(0, 2));
  pending = pending.slice(2);
}
writeFileSync(new URL('./updates.json', import.meta.url), JSON.stringify(updates));
console.log(`${updates.length} updates written`);
