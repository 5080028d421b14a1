import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { ANSWER_FRAGMENT, answerPlainText } from '../../src/protocol/answerDocument.ts';
import { MessageType } from '../../src/protocol/messageTypes.ts';
import { danishSentences, mulberry32 } from './danishText.ts';

/** Every simulated pupil writes as this Yjs client: each has a document of its own on the server, so they never meet. */
export const SCRIPT_CLIENT_ID = 1;
const SYNC_UPDATE = 2;

/**
 * A pupil's whole typing, made once with Yjs before the run: each update already framed as the y-websocket
 * message a browser would send. The hot loop then only sends bytes, so the generator measures the server and
 * not its own Yjs work (issue: the generator must stay under 15 % of a core per 1,000 typists).
 */
export class TypingScript {
  /** The y-websocket frame (sync/update) of each update, in typing order. */
  readonly frames: Uint8Array[] = [];
  /** This client's clock after each update: what a relayed update's end tells an observer it carried. */
  readonly ends: number[] = [];
  private readonly updates: Uint8Array[] = [];
  private readonly doc = new Y.Doc();
  private readonly rnd: () => number;
  private readonly sentences: Generator<string>;
  private pendingText = '';
  private paragraph: Y.XmlText | null = null;

  constructor(
    seed: number,
    private readonly charsPerUpdate: number,
  ) {
    this.doc.clientID = SCRIPT_CLIENT_ID;
    this.rnd = mulberry32(seed);
    this.sentences = danishSentences(seed);
    this.doc.on('update', (update: Uint8Array) => {
      this.updates.push(update);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.sync);
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint8Array(e, update);
      this.frames.push(encoding.toUint8Array(e));
      this.ends.push(Y.getState(this.doc.store, SCRIPT_CLIENT_ID));
    });
  }

  /** Makes sure at least `n` updates exist (scripts grow on demand, so a long soak needs no guess up front). */
  ensure(n: number): void {
    while (this.frames.length < n) this.typeOne();
  }

  /** The answer after the first `n` updates, as the server must have stored it: plain text for the lost check. */
  textAfter(n: number): string {
    const doc = new Y.Doc();
    if (n > 0) Y.applyUpdate(doc, Y.mergeUpdates(this.updates.slice(0, n)));
    const text = answerPlainText(doc);
    doc.destroy();
    return text;
  }

  /**
   * textAfter() for many counts at once, in one pass over the updates: every pupil of a generator thread shares one of
   * a few scripts, and rebuilding each pupil's text from scratch took minutes at the end of a 30-minute soak.
   */
  textsAfter(counts: number[]): Map<number, string> {
    const texts = new Map<number, string>();
    const doc = new Y.Doc();
    let applied = 0;
    for (const n of [...new Set(counts)].sort((a, b) => a - b)) {
      if (n > applied) Y.applyUpdate(doc, Y.mergeUpdates(this.updates.slice(applied, n)));
      applied = Math.max(applied, n);
      texts.set(n, answerPlainText(doc));
    }
    doc.destroy();
    return texts;
  }

  /** One sync/update frame carrying updates [from, to) merged: what a client sends after holding edits back. */
  frameOf(from: number, to: number): Uint8Array {
    if (to - from === 1) return this.frames[from];
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, Y.mergeUpdates(this.updates.slice(from, to)));
    return encoding.toUint8Array(e);
  }

  /** What a server holding `stateVector` lacks of the first `n` updates: the reply to its sync step 1. */
  missing(n: number, stateVector: Uint8Array): Uint8Array {
    return Y.diffUpdate(Y.mergeUpdates(this.updates.slice(0, n)), stateVector);
  }

  private typeOne(): void {
    // Whole-number chunks around the average, like keystrokes coalesced by an editor binding's debounce.
    let n = Math.max(1, Math.floor(this.charsPerUpdate) + (this.rnd() < this.charsPerUpdate % 1 ? 1 : 0));
    this.doc.transact(() => {
      const fragment = this.doc.getXmlFragment(ANSWER_FRAGMENT);
      while (n > 0) {
        if (!this.pendingText) {
          this.pendingText = this.sentences.next().value as string;
          if (!this.paragraph || this.rnd() < 0.15) {
            const p = new Y.XmlElement('paragraph');
            this.paragraph = new Y.XmlText();
            p.insert(0, [this.paragraph]);
            fragment.push([p]);
          }
        }
        const chunk = this.pendingText.slice(0, n);
        this.pendingText = this.pendingText.slice(chunk.length);
        this.paragraph!.insert(this.paragraph!.length, chunk);
        n -= chunk.length;
      }
    });
  }
}

/** A few scripts per generator thread, shared by its pupils: different texts, and memory that does not grow with N. */
export function scriptsFor(count: number, charsPerUpdate: number): TypingScript[] {
  return Array.from({ length: count }, (_, i) => new TypingScript(i + 1, charsPerUpdate));
}
