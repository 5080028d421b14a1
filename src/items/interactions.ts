// Which QTI 3.0 interactions Prøvesal delivers. Anything else is refused by name: a paper with an
// interaction we cannot render or score would be half-shown to pupils, which is worse than no paper.
import type { Element } from '@xmldom/xmldom';
import type { Interaction, InteractionKind, Problem } from './model.ts';
import { attr, descendants, lineOf, nameOf } from './xml.ts';

interface Supported {
  kind: InteractionKind;
  /** Elements inside the interaction whose identifiers a pupil can pick. */
  choices: readonly string[];
  /** The attribute that caps how many the pupil picks, and its default in the spec. */
  max: { attribute: string; default: number } | null;
}

const SUPPORTED: Readonly<Record<string, Supported>> = {
  'qti-choice-interaction': { kind: 'choice', choices: ['qti-simple-choice'], max: { attribute: 'max-choices', default: 1 } },
  'qti-text-entry-interaction': { kind: 'textEntry', choices: [], max: null },
  'qti-inline-choice-interaction': { kind: 'inlineChoice', choices: ['qti-inline-choice'], max: null },
  'qti-match-interaction': {
    kind: 'match',
    choices: ['qti-simple-associable-choice'],
    max: { attribute: 'max-associations', default: 1 },
  },
  'qti-order-interaction': { kind: 'order', choices: ['qti-simple-choice'], max: null },
  'qti-gap-match-interaction': { kind: 'gapMatch', choices: ['qti-gap-text', 'qti-gap-img', 'qti-gap'], max: null },
  'qti-hottext-interaction': { kind: 'hottext', choices: ['qti-hottext'], max: { attribute: 'max-choices', default: 1 } },
  'qti-extended-text-interaction': { kind: 'extendedText', choices: [], max: null },
};

export function isInteractionName(name: string): boolean {
  return name.startsWith('qti-') && name.endsWith('-interaction');
}

/** Finds every interaction in the item body, in document order; unknown ones become problems. */
export function readInteractions(body: Element, file: string): { interactions: Interaction[]; problems: Problem[] } {
  const interactions: Interaction[] = [];
  const problems: Problem[] = [];
  for (const el of descendants(body)) {
    const name = nameOf(el);
    if (!isInteractionName(name)) continue;
    const supported = SUPPORTED[name];
    if (!supported) {
      problems.push({ file, line: lineOf(el), message: `unsupported interaction <${name}>: the item cannot be delivered` });
      continue;
    }
    const responseIdentifier = attr(el, 'response-identifier');
    if (!responseIdentifier) {
      problems.push({ file, line: lineOf(el), message: `<${name}> has no response-identifier` });
      continue;
    }
    interactions.push({
      kind: supported.kind,
      responseIdentifier,
      choiceIdentifiers: choiceIdentifiers(el, supported.choices),
      maxChoices: maxOf(el, supported),
      line: lineOf(el),
    });
  }
  return { interactions, problems };
}

function choiceIdentifiers(interaction: Element, names: readonly string[]): string[] {
  const ids: string[] = [];
  for (const el of descendants(interaction)) {
    if (el === interaction || !names.includes(nameOf(el))) continue;
    const id = attr(el, 'identifier');
    if (id) ids.push(id);
  }
  return ids;
}

function maxOf(el: Element, supported: Supported): number {
  if (!supported.max) return supported.kind === 'inlineChoice' ? 1 : 0;
  const raw = attr(el, supported.max.attribute);
  const n = raw === null ? supported.max.default : Number.parseInt(raw, 10);
  return Number.isFinite(n) && n >= 0 ? n : supported.max.default;
}
