// The typed model of a QTI 3.0 item as Prøvesal reads it. Everything here is plain data so the
// scorer, the checker and (later) the delivery code never touch a DOM.

/** A finding that refuses an item or a package: where it is, and what is wrong, in one sentence. */
export interface Problem {
  file: string;
  /** 1-based line in `file`; null when the problem is about the file as a whole (a ZIP entry, a limit). */
  line: number | null;
  message: string;
  /** Set when a size or count limit was exceeded (the upload answers 413 rather than 422). */
  limit?: true;
}

export type Cardinality = 'single' | 'multiple' | 'ordered';
export type BaseType = 'identifier' | 'string' | 'directedPair' | 'pair' | 'integer' | 'float' | 'boolean';

/** One scalar as scoring sees it: strings NFC-normalised, pairs written "A B" (pair sorted, directedPair as given). */
export type Scalar = string | number | boolean;

/** A QTI value. NULL (no response, empty container) is `null`, as the spec treats them the same. */
export type Value = { cardinality: Cardinality; baseType: BaseType; values: Scalar[] } | null;

export interface MapEntry {
  key: Scalar;
  value: number;
  caseSensitive: boolean;
}

export interface Mapping {
  lowerBound: number | null;
  upperBound: number | null;
  defaultValue: number;
  entries: MapEntry[];
}

export interface ResponseDeclaration {
  identifier: string;
  cardinality: Cardinality;
  baseType: BaseType;
  correct: Scalar[];
  mapping: Mapping | null;
  line: number;
}

export interface OutcomeDeclaration {
  identifier: string;
  cardinality: Cardinality;
  baseType: BaseType;
  defaultValue: Scalar | null;
  line: number;
}

export type InteractionKind = 'choice' | 'textEntry' | 'inlineChoice' | 'match' | 'order' | 'gapMatch' | 'hottext' | 'extendedText';

export interface Interaction {
  kind: InteractionKind;
  responseIdentifier: string;
  /** Identifiers the pupil can pick (choices, hottexts, gaps, gap texts, match sets); empty for typed answers. */
  choiceIdentifiers: string[];
  /** max-choices / max-associations; 0 means unlimited as in the spec. */
  maxChoices: number;
  line: number;
}

// ---- response processing, as a small typed tree -------------------------------------------------

export type Expression =
  | { op: 'variable'; identifier: string }
  | { op: 'correct'; identifier: string }
  | { op: 'baseValue'; baseType: BaseType; value: Scalar }
  | { op: 'mapResponse'; identifier: string }
  | { op: 'isNull'; arg: Expression }
  | { op: 'match'; args: [Expression, Expression] }
  | { op: 'member'; args: [Expression, Expression] }
  | { op: 'stringMatch'; args: [Expression, Expression]; caseSensitive: boolean; substring: boolean }
  | { op: 'sum'; args: Expression[] }
  | { op: 'and' | 'or'; args: Expression[] }
  | { op: 'not'; arg: Expression };

export type Rule =
  { rule: 'setOutcome'; identifier: string; expression: Expression } | { rule: 'condition'; branches: { when: Expression | null; then: Rule[] }[] };

export type ResponseProcessing = { kind: 'none' } | { kind: 'template'; template: 'match_correct' | 'map_response' } | { kind: 'custom'; rules: Rule[] };

export interface Item {
  identifier: string;
  title: string;
  file: string;
  responses: ResponseDeclaration[];
  outcomes: OutcomeDeclaration[];
  interactions: Interaction[];
  processing: ResponseProcessing;
  /** True when every interaction is graded by a person (extended text): automatic score 0. */
  manual: boolean;
}

export const INTERACTION_KINDS: readonly InteractionKind[] = ['choice', 'textEntry', 'inlineChoice', 'match', 'order', 'gapMatch', 'hottext', 'extendedText'];
