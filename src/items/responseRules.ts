// What the answer socket keeps of a pupil's responses (docs/rules.md §14): a pure check of one item's value in
// the `responses` map against the item's declarations. A value that fails is never kept; the pupil is told why.
import type { Item } from './model.ts';
import { typedResponses, type RawResponses } from './responses.ts';

/** Caps per value: no interaction needs more, and the document's size limit is shared with the rest of the answer. */
export const RESPONSE_LIMITS = { maxTextChars: 2000, maxListEntries: 200 } as const;

export type ResponseRefusal = 'unknown-item' | 'wrong-type';

/** Why a value written for `itemIdentifier` is refused, or null when it may be kept. `undefined` (deleted) is always fine. */
export function refuseResponse(item: Item | undefined, value: unknown): ResponseRefusal | null {
  if (!item) return 'unknown-item';
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return 'wrong-type';
  const raw = value as Record<string, unknown>;
  for (const [id, v] of Object.entries(raw)) {
    const list = Array.isArray(v) ? v : [v];
    if (list.length > RESPONSE_LIMITS.maxListEntries) return 'wrong-type';
    if (!list.every((s) => typeof s === 'string' && s.length <= RESPONSE_LIMITS.maxTextChars)) return 'wrong-type';
    const decl = item.responses.find((r) => r.identifier === id);
    if (!decl) return 'wrong-type';
    // A list for one value, or one value where the declaration keeps a list: the client and the item disagree.
    if (Array.isArray(v) !== (decl.cardinality !== 'single')) return 'wrong-type';
    if (!choicesAllowed(item, id, list as string[])) return 'wrong-type';
  }
  return typedResponses(item, raw as RawResponses).errors.length ? 'wrong-type' : null;
}

/** Identifiers (and each half of a pair) must be ones the interaction offers; max-choices caps a list. */
function choicesAllowed(item: Item, responseIdentifier: string, values: string[]): boolean {
  const interaction = item.interactions.find((i) => i.responseIdentifier === responseIdentifier);
  const decl = item.responses.find((r) => r.identifier === responseIdentifier)!;
  if (!interaction || interaction.choiceIdentifiers.length === 0) return true;
  if (interaction.maxChoices > 0 && values.length > interaction.maxChoices) return false;
  const offered = new Set(interaction.choiceIdentifiers);
  const names = (s: string) => (decl.baseType === 'pair' || decl.baseType === 'directedPair' ? s.trim().split(/\s+/) : [s.trim()]);
  if (decl.baseType !== 'identifier' && decl.baseType !== 'pair' && decl.baseType !== 'directedPair') return true;
  return values.every((s) => names(s).every((n) => offered.has(n)));
}
