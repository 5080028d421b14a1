import canonicalize from 'canonicalize';
import * as Y from 'yjs';
import { answerPlainText, plainTextOf } from './answerDocument.ts';

/**
 * The item test's part of the answer document and of the pupil's HTTP view (docs/rules.md, item tests).
 * An item test's responses travel on the same answer socket as the essay: nothing new in the transport.
 */

/** Root Y.Map of the answer document: item identifier → that item's responses. */
export const RESPONSES_MAP = 'responses';

/** One item's responses: response identifier → a string, or strings for `multiple`/`ordered`; pairs as "A B". */
export type ItemResponse = Record<string, string | string[]>;

/** An extended-text response is rich text in the same editor: its own Y.XmlFragment, named per response. */
export const extendedTextFragment = (itemIdentifier: string, responseIdentifier: string): string => `text:${itemIdentifier}:${responseIdentifier}`;

/** What the pupil's browser gets from GET /api/sittings/:id/items once the sitting has started. */
export interface ItemTestView {
  parts: {
    identifier: string;
    navigationMode: 'linear' | 'nonlinear';
    /** The part's own time limit before any extra time, or null when only the sitting's window applies. */
    timeLimitSeconds: number | null;
    /** Each item's XML with correct responses, mappings and response processing stripped. */
    items: { identifier: string; title: string; xml: string }[];
  }[];
}

/** When each timed part ends for this pupil (extra time included), in the candidate's registration view. */
export interface PartEnd {
  part: string;
  endsAt: string;
}

/**
 * What an item test's receipt hashes (SHA-256 of its UTF-8): the answer's plain text as for an essay, a newline, then
 * the canonical JSON (RFC 8785) of `{responses, texts}`: the responses map, and each non-empty extended text as plain
 * text by fragment name. Client and server compute it from the same document, so the pupil can check the receipt.
 */
export function itemTestHashText(doc: Y.Doc): string {
  const texts: Record<string, string> = {};
  for (const name of [...doc.share.keys()].filter((n) => n.startsWith('text:')).sort()) {
    const text = plainTextOf(doc.getXmlFragment(name));
    if (text !== '') texts[name] = text;
  }
  return `${answerPlainText(doc)}\n${canonicalize({ responses: doc.getMap(RESPONSES_MAP).toJSON(), texts }) ?? '{}'}`;
}

/** One item's row of `GET /api/sittings/:id/items/statistics` (docs/rules.md §14.7). */
export interface ItemStatistics {
  item: string;
  part: string;
  submissions: number;
  shareCorrect: number;
  meanScore: number;
  shareOmitted: number;
  /** Each distinct response (canonical JSON of the item's entry) and how many gave it. */
  responses: { response: string; count: number }[];
}
