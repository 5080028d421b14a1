import * as Y from 'yjs';
import { countWords, isBlock, plainTextOf } from '../protocol/answerDocument.ts';

/**
 * The answer's word count for the live room, kept up to date cheaply enough to be read every second for every
 * pupil typing on a node. A full count walks the whole document (about 1 ms for 1,600 words typed key by key,
 * measured by `npx tsx loadtests/benchWords.ts`); here only the top-level blocks changed since the last count are
 * walked again. Blocks end with a line break, so the sum per block equals countWords(answerPlainText(doc));
 * anything else at the top level (never written by the editor) falls back to the full count.
 */
export class WordCounter {
  private counts = new Map<unknown, number>();
  private readonly changed = new Set<unknown>();

  constructor(private readonly fragment: Y.XmlFragment) {
    fragment.observeDeep((events) => {
      for (const e of events) {
        let t: Y.AbstractType<unknown> | null = e.target;
        while (t && t.parent && t.parent !== fragment) t = t.parent as Y.AbstractType<unknown>;
        if (t && t !== fragment) this.changed.add(t);
      }
    });
  }

  count(): number {
    const next = new Map<unknown, number>();
    let total = 0;
    for (const child of this.fragment.toArray()) {
      if (!isBlock(child)) {
        this.counts = new Map();
        this.changed.clear();
        return countWords(plainTextOf(this.fragment));
      }
      let n = this.changed.has(child) ? undefined : this.counts.get(child);
      n ??= countWords(plainTextOf(child));
      next.set(child, n);
      total += n;
    }
    this.counts = next;
    this.changed.clear();
    return total;
  }
}
