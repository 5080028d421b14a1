// The order a package is delivered in: parts (with navigation and time limit) and, in each, its items.
// A package without a qti-assessment-test is one untimed, freely navigable part in manifest order.
import type { Item, Problem } from './model.ts';
import type { QtiPackage } from './packageReader.ts';

/** A part's schedule. Stored beside the sealed package: like the sitting's duration, it reveals no content. */
export interface PartSchedule {
  identifier: string;
  navigationMode: 'linear' | 'nonlinear';
  /** qti-time-limits max-time in seconds; null when only the sitting's window applies. */
  maxTimeSeconds: number | null;
}

export interface PlannedPart extends PartSchedule {
  items: Item[];
}

export interface TestPlan {
  parts: PlannedPart[];
  /** Item identifier → the part it belongs to; responses are keyed by item identifier. */
  partOf: Map<string, string>;
  items: Map<string, Item>;
}

/** The parts and their items, or the problems that make the package undeliverable as a test. */
export function planTest(pkg: QtiPackage): { plan: TestPlan | null; problems: Problem[] } {
  const byFile = new Map(pkg.items.map((i) => [i.file, i]));
  const parts: PlannedPart[] = pkg.test
    ? pkg.test.parts.map((p) => ({
        identifier: p.identifier,
        navigationMode: p.navigationMode,
        maxTimeSeconds: p.maxTimeSeconds,
        items: p.itemFiles.map((f) => byFile.get(f)).filter((i): i is Item => i !== undefined),
      }))
    : [{ identifier: 'part1', navigationMode: 'nonlinear', maxTimeSeconds: null, items: pkg.items }];
  const problems: Problem[] = [];
  const items = new Map<string, Item>();
  const partOf = new Map<string, string>();
  for (const part of parts) {
    for (const item of part.items) {
      // The pupil's responses are keyed by item identifier: two items with one identifier would share an answer.
      if (items.has(item.identifier)) {
        problems.push({ file: item.file, line: 1, message: `item identifier "${item.identifier}" is used twice in the test` });
        continue;
      }
      items.set(item.identifier, item);
      partOf.set(item.identifier, part.identifier);
    }
  }
  if (new Set(parts.map((p) => p.identifier)).size !== parts.length) {
    problems.push({ file: 'imsmanifest.xml', line: null, message: 'two test parts have the same identifier' });
  }
  if (items.size === 0) problems.push({ file: 'imsmanifest.xml', line: null, message: 'the test delivers no items' });
  return problems.length ? { plan: null, problems } : { plan: { parts, partOf, items }, problems };
}

export const scheduleOf = (plan: TestPlan): PartSchedule[] =>
  plan.parts.map((p) => ({ identifier: p.identifier, navigationMode: p.navigationMode, maxTimeSeconds: p.maxTimeSeconds }));
