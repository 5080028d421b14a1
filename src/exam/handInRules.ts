import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { conflict, type AppError } from '../http/errors.ts';
import { answerPlainText, countWords } from '../protocol/answerDocument.ts';
import { itemTestHashText } from '../protocol/itemResponses.ts';
import { windowOf } from './examView.ts';
import type { RegistrationContext } from './queries.ts';
import { acceptsUpdates, phase } from './window.ts';

/**
 * Why a hand-in must not happen now (docs/rules.md §4.7), decided on the registration as locked; null when it may.
 * The one rule both the single hand-in and the automatic batch apply, so the two can never disagree.
 */
export function handInRefusal(r: RegistrationContext, by: 'candidate' | 'auto' | 'invigilator', now: Date, graceSeconds: number): AppError | null {
  if (r.state === 'absent' || r.state === 'ill') {
    return conflict('registration-absent', 'Eleven er meldt fraværende/syg og kan ikke aflevere.', 'The candidate is marked absent or ill and cannot hand in.');
  }
  // The sweep saw the end pass, but an invigilator may have given extra time since: re-checked under the lock.
  if (by === 'auto' && acceptsUpdates(windowOf(r), now, graceSeconds)) return conflict('not-due', 'Tiden er ikke udløbet.', 'Time is not up yet.');
  const p = phase(windowOf(r), now);
  if (by === 'candidate' && p !== 'writing' && p !== 'ended') return conflict('not-started', 'Prøven er ikke begyndt endnu.', 'The exam has not started yet.');
  return null;
}

export interface FrozenAnswer {
  finalState: Uint8Array;
  plainText: string;
  sha256: string;
  wordCount: number;
}

/**
 * What a hand-in freezes of a document: its state, the text the receipt's hash covers (an essay's plain text, exactly
 * as ever; an item test's also covers its responses, docs/rules.md §14.5) and the word count.
 */
export function freezeAnswer(doc: Y.Doc, itemTest: boolean): FrozenAnswer {
  const essay = answerPlainText(doc);
  const plainText = itemTest ? itemTestHashText(doc) : essay;
  return {
    finalState: Y.encodeStateAsUpdate(doc),
    plainText,
    sha256: createHash('sha256').update(plainText, 'utf8').digest('hex'),
    wordCount: countWords(essay),
  };
}
