import { parentPort } from 'node:worker_threads';
import type { StoredDocument } from '../sync/queries.ts';
import { docFromStored } from '../sync/storedDocument.ts';
import { freezeAnswer } from './handInRules.ts';

/** One essay's freeze (answerFreezer.ts): the stored answer in, its state, text, hash and words out. */
parentPort!.on('message', (stored: StoredDocument) => {
  try {
    const doc = docFromStored(stored);
    const value = freezeAnswer(doc, false);
    doc.destroy();
    parentPort!.postMessage({ ok: true, value });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});
