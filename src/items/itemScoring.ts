// Scoring one handed-in item test (docs/rules.md §14.5), on the server only: every item of the plan with the key as
// corrected so far, then per part and in total. Pure: the caller reads the document and stores the result.
import * as Y from 'yjs';
import { RESPONSES_MAP } from '../protocol/itemResponses.ts';
import { correctedItem, type KeyCorrection } from './keyCorrection.ts';
import { refuseResponse } from './responseRules.ts';
import { scoreItem } from './scorer.ts';
import type { TestPlan } from './testPlan.ts';

export interface ScoredItem {
  item: string;
  part: string;
  score: number;
  maxScore: number;
  manual: boolean;
  response: Record<string, string | string[]> | null;
}

export interface TestScore {
  items: ScoredItem[];
  parts: { part: string; score: number; maxScore: number }[];
  total: number;
  maxTotal: number;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Scores the responses map of a frozen document. A value the socket would not have kept counts as no response. */
export function scoreTest(plan: TestPlan, corrections: readonly KeyCorrection[], doc: Y.Doc): TestScore {
  const responses = doc.getMap(RESPONSES_MAP);
  const items: ScoredItem[] = [];
  for (const part of plan.parts) {
    for (const original of part.items) {
      const item = correctedItem(original, corrections);
      const raw = responses.get(item.identifier);
      const response = raw !== undefined && refuseResponse(item, raw) === null ? (raw as Record<string, string | string[]>) : null;
      const s = scoreItem(item, response ?? {});
      items.push({ item: item.identifier, part: part.identifier, score: s.score, maxScore: s.maxScore, manual: s.manual, response });
    }
  }
  const parts = plan.parts.map((p) => {
    const mine = items.filter((i) => i.part === p.identifier);
    return { part: p.identifier, score: round(mine.reduce((n, i) => n + i.score, 0)), maxScore: round(mine.reduce((n, i) => n + i.maxScore, 0)) };
  });
  return {
    items,
    parts,
    total: round(parts.reduce((n, p) => n + p.score, 0)),
    maxTotal: round(parts.reduce((n, p) => n + p.maxScore, 0)),
  };
}
