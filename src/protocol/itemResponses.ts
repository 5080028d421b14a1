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
