import { join } from 'node:path';
import type { Queryable } from '../db/pool.ts';
import type { AppDeps } from '../http/context.ts';
import { readPackage } from '../items/packageReader.ts';
import { zipDirectory } from '../items/packageZip.ts';
import { storeItemPackage } from '../items/queries.ts';
import { planTest, scheduleOf } from '../items/testPlan.ts';
import { createPaperVault } from '../scheduling/module.ts';

/** The demo's item test: 13 Danish items covering every interaction, in two timed parts (30 and 45 minutes). */
export const DEMO_ITEM_PACKAGE = join(import.meta.dirname, 'content', 'retskrivning');
export const DEMO_ITEM_SUBJECT = 'Dansk – retskrivning og læsning (FP9)';
/** Pupils elev31 … elev35 sit the item test; elev01 … elev30 the essay, so each sees one sitting today. */
export const DEMO_ITEM_CANDIDATES = 5;

/** Seals the demo package for the sitting exactly as a ministry upload would (docs/rules.md §14). */
export async function storeDemoItemPackage(deps: AppDeps, tx: Queryable, sittingId: number, by: number): Promise<void> {
  const zip = zipDirectory(DEMO_ITEM_PACKAGE);
  const read = readPackage(zip, 'retskrivning.zip');
  if (!read.ok) throw new Error(`the demo item package is refused: ${JSON.stringify(read.problems)}`);
  const { plan } = planTest(read.pkg);
  if (!plan) throw new Error('the demo item package has no test plan');
  await storeItemPackage(tx, sittingId, createPaperVault(deps).seal(Buffer.from(zip)), { itemCount: plan.items.size, parts: scheduleOf(plan), by });
}
