// A grader's score for one item (docs/rules.md §14.9): pure rules, the route stores and audits.
import type { Item } from './model.ts';

export interface ScoreTarget {
  manual: boolean;
  /** The item's maximum: the automatic one, or for extended text the declared MAXSCORE (null when none). */
  maxScore: number | null;
}

export interface Refusal {
  da: string;
  en: string;
}

/** The most a grader may give: the automatic maximum, or an extended text's declared MAXSCORE. */
export function graderMax(item: Item, automaticMax: number): number | null {
  if (!item.manual) return automaticMax;
  const declared = item.outcomes.find((o) => o.identifier === 'MAXSCORE')?.defaultValue;
  return typeof declared === 'number' ? declared : null;
}

/**
 * Why this score may not be set, or null. Scores move in half points (the exam's own scale for partial credit); an
 * automatic score is only changed with a reason, because the change overrides the key every other pupil was held to.
 */
export function graderScoreRefusal(target: ScoreTarget, score: number, reason: string | null): Refusal | null {
  if (!Number.isFinite(score) || score < 0 || Math.round(score * 2) !== score * 2) {
    return { da: 'Point skal være 0 eller mere, i hele eller halve point.', en: 'The score must be 0 or more, in whole or half points.' };
  }
  if (target.maxScore !== null && score > target.maxScore) {
    return { da: `Opgaven giver højst ${target.maxScore} point.`, en: `The item gives at most ${target.maxScore} points.` };
  }
  if (!target.manual && !reason) {
    return {
      da: 'Skriv en begrundelse, når du ændrer et automatisk givet point.',
      en: 'Give a reason when you change an automatically given score.',
    };
  }
  return null;
}
