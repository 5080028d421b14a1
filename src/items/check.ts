// The report behind `npm run qti:check`: counts, reachable score and problems, in a fixed key order
// because scripts read it.
import type { InteractionKind, Item, Problem } from './model.ts';
import { INTERACTION_KINDS } from './model.ts';
import { parseItem } from './itemParser.ts';
import { DEFAULT_LIMITS, inspectPackage, type PackageLimits } from './packageReader.ts';
import { maxScore } from './scorer.ts';

export interface CheckReport {
  /** Item files examined (accepted or not). */
  items: number;
  /** Interactions in the accepted items. */
  interactions: Record<InteractionKind, number>;
  /** Sum of the accepted items' automatic maximum scores (manual items count 0). */
  maxScore: number;
  problems: Problem[];
}

export function report(itemCount: number, items: Item[], problems: Problem[]): CheckReport {
  const interactions = Object.fromEntries(INTERACTION_KINDS.map((k) => [k, 0])) as Record<InteractionKind, number>;
  for (const i of items.flatMap((it) => it.interactions)) interactions[i.kind] += 1;
  const total = items.reduce((sum, it) => sum + maxScore(it), 0);
  return {
    items: itemCount,
    interactions,
    maxScore: Math.round(total * 1e6) / 1e6,
    problems: problems.map((p) => ({ file: p.file, line: p.line, message: p.message })),
  };
}

export function checkItemXml(text: string, file: string): CheckReport {
  const { item, problems } = parseItem(text, file);
  return report(1, item ? [item] : [], problems);
}

export function checkPackageZip(zip: Uint8Array, name: string, limits: PackageLimits = DEFAULT_LIMITS): CheckReport {
  const seen = inspectPackage(zip, name, limits);
  return report(seen.itemCount, seen.items, seen.problems);
}
