// What the signed PDF prints of an item test (docs/rules.md §14.8): every item's prompt and the pupil's response as
// text, and, on the grader's copy only, the score and the key. Pure: the caller opens the package and reads scores.
import * as Y from 'yjs';
import { plainTextOf } from '../protocol/answerDocument.ts';
import { extendedTextFragment, RESPONSES_MAP } from '../protocol/itemResponses.ts';
import { itemText } from './itemText.ts';
import { correctedItem, type KeyCorrection } from './keyCorrection.ts';
import type { Item, ResponseDeclaration, Scalar } from './model.ts';
import type { TestPlan } from './testPlan.ts';

export interface PrintedGrading {
  score: number;
  maxScore: number;
  /** Extended text: scored by a grader, not automatically. */
  manual: boolean;
  /** A grader has set this score (an extended text scored, or an automatic score changed). */
  byGrader: boolean;
  /** The key as corrected so far, one line per response; empty for extended text. */
  key: string[];
}

export interface PrintedItem {
  identifier: string;
  title: string;
  part: string;
  prompt: string[];
  /** The pupil's responses, one line per response ("Ikke besvaret" when none). */
  responses: string[];
  grading?: PrintedGrading;
}

/** The item section of a submission's PDF. `total` and every item's `grading` exist on the grader's copy only. */
export interface ItemSection {
  items: PrintedItem[];
  total?: { score: number; maxScore: number; parts: { part: string; score: number; maxScore: number }[] };
}

/** A score as the grader sees it: automatic (or a grader's), out of the item's maximum. */
export interface ScoreSheetRow {
  score: number;
  maxScore: number;
  manual: boolean;
  byGrader: boolean;
}

export interface GraderView {
  scores: Map<string, ScoreSheetRow>;
  corrections: readonly KeyCorrection[];
  total: NonNullable<ItemSection['total']>;
}

const NO_RESPONSE = 'Ikke besvaret';

/** The pupil's copy when `grader` is absent: no score, no key, built without ever reading them. */
export function printItems(plan: TestPlan, xml: ReadonlyMap<string, string>, finalState: Uint8Array, grader?: GraderView): ItemSection {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, finalState);
  const responses = doc.getMap(RESPONSES_MAP);
  const items: PrintedItem[] = [];
  for (const part of plan.parts) {
    for (const original of part.items) {
      const text = itemText(xml.get(original.identifier) ?? '', { scorerNotes: !!grader });
      const given = (responses.get(original.identifier) ?? {}) as Record<string, unknown>;
      const extended = new Set(original.interactions.filter((i) => i.kind === 'extendedText').map((i) => i.responseIdentifier));
      const many = original.responses.length > 1;
      const lines = original.responses.map((decl, n) => {
        const value = extended.has(decl.identifier)
          ? plainTextOf(doc.getXmlFragment(extendedTextFragment(original.identifier, decl.identifier)))
          : formatValue(given[decl.identifier], decl, text.labels.get(decl.identifier));
        return `${many ? `Svar ${n + 1}: ` : ''}${value || NO_RESPONSE}`;
      });
      const printed: PrintedItem = { identifier: original.identifier, title: original.title, part: part.identifier, prompt: text.prompt, responses: lines };
      if (grader) {
        const item = correctedItem(original, grader.corrections);
        const row = grader.scores.get(item.identifier) ?? { score: 0, maxScore: 0, manual: false, byGrader: false };
        printed.grading = { ...row, key: keyLines(item, extended, text.labels) };
      }
      items.push(printed);
    }
  }
  doc.destroy();
  return grader ? { items, total: grader.total } : { items };
}

function keyLines(item: Item, extended: Set<string>, labels: Map<string, Map<string, string>>): string[] {
  const many = item.responses.length > 1;
  return item.responses
    .filter((d) => !extended.has(d.identifier))
    .map((decl, n) => {
      const names = labels.get(decl.identifier);
      const parts: string[] = [];
      if (decl.correct.length) parts.push(`rigtigt svar: ${formatValue(decl.correct.map(String), decl, names)}`);
      if (decl.mapping) {
        const entries = decl.mapping.entries.map((e) => `${formatScalar(e.key, decl, names)} = ${e.value}`).join('; ');
        const bounds = [
          decl.mapping.lowerBound !== null ? `mindst ${decl.mapping.lowerBound}` : '',
          decl.mapping.upperBound !== null ? `højst ${decl.mapping.upperBound}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        parts.push(`point: ${entries}${bounds ? ` (${bounds})` : ''}`);
      }
      return `${many ? `Svar ${n + 1}: ` : ''}${parts.join(' · ') || 'ingen nøgle'}`;
    });
}

/** A stored response value as text: choices by their text, pairs "a → b", ordered lists numbered. */
function formatValue(value: unknown, decl: ResponseDeclaration, names: Map<string, string> | undefined): string {
  if (value === undefined || value === null) return '';
  const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  const shown = list.map((v) => formatScalar(v, decl, names));
  if (decl.cardinality === 'ordered') return shown.map((s, i) => `${i + 1}. ${s}`).join(', ');
  return shown.join('; ');
}

function formatScalar(v: Scalar, decl: ResponseDeclaration, names: Map<string, string> | undefined): string {
  const name = (id: string) => names?.get(id) ?? id;
  const s = String(v);
  if (decl.baseType === 'identifier') return name(s.trim());
  if (decl.baseType === 'pair' || decl.baseType === 'directedPair') {
    const [a, b] = s.trim().split(/\s+/);
    return `${name(a)} ${decl.baseType === 'pair' ? '–' : '→'} ${name(b ?? '')}`;
  }
  return decl.baseType === 'string' ? `»${s}«` : s;
}
