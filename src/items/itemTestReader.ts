import { unzipSync } from 'fflate';
import type { Queryable } from '../db/pool.ts';
import type { ItemTestView } from '../protocol/itemResponses.ts';
import type { PaperVault } from '../scheduling/paperVault.ts';
import { mediaTypeOf, rewriteAssetRefs } from './assets.ts';
import { readPackage } from './packageReader.ts';
import { stripForPupil } from './pupilView.ts';
import { loadItemPackage } from './queries.ts';
import { planTest, type TestPlan } from './testPlan.ts';

/** A sitting's package, opened: the plan for scoring and checking, the pupil's view, and the media. */
export interface OpenedTest {
  plan: TestPlan;
  /** The item XML files as uploaded (with keys): for the grader's copy, never for a pupil. */
  xml: Map<string, string>;
  zip: Uint8Array;
  /** The pupil's view, built once: keys stripped, media pointed at the asset route. */
  view: ItemTestView;
}

export const assetBase = (sittingId: number) => `/api/sittings/${sittingId}/items/assets`;

/**
 * Opens sealed item packages (docs/rules.md §14) for callers that already decided the reader may see them.
 * One per node; a package is cached only once its sitting has started, so one replaced before the start is re-read.
 */
export class ItemTestReader {
  private readonly opened = new Map<number, Promise<OpenedTest | null>>();

  constructor(
    private readonly db: Queryable,
    private readonly vault: PaperVault,
  ) {}

  /** The opened test, or null when the sitting has no item package. */
  open(sittingId: number, started: boolean): Promise<OpenedTest | null> {
    const cached = this.opened.get(sittingId);
    if (cached) return cached;
    const pending = this.read(sittingId);
    if (started) {
      this.opened.set(sittingId, pending);
      // A failed read (the database was away) must not stick: the next reader tries again.
      pending.catch(() => this.opened.delete(sittingId));
    }
    return pending;
  }

  /** A media file of the package, or null when there is none by that name (item XML is never media). */
  async asset(sittingId: number, path: string, started: boolean): Promise<{ body: Uint8Array; type: string } | null> {
    const type = mediaTypeOf(path);
    if (!type) return null;
    const test = await this.open(sittingId, started);
    if (!test) return null;
    const files = unzipSync(test.zip, { filter: (f) => f.name === path });
    return files[path] ? { body: files[path], type } : null;
  }

  private async read(sittingId: number): Promise<OpenedTest | null> {
    const stored = await loadItemPackage(this.db, sittingId);
    if (!stored) return null;
    const zip = new Uint8Array(this.vault.open(stored));
    const result = readPackage(zip, 'package.zip');
    // The package passed these checks at upload; failing now means the limits or parser changed since.
    if (!result.ok) throw new Error(`stored item package of sitting ${sittingId} no longer reads: ${result.problems[0]?.message}`);
    const { plan, problems } = planTest(result.pkg);
    if (!plan) throw new Error(`stored item package of sitting ${sittingId} has no plan: ${problems[0]?.message}`);
    const raw = unzipSync(zip, { filter: (f) => f.name.endsWith('.xml') });
    const xml = new Map<string, string>();
    for (const item of plan.items.values()) xml.set(item.identifier, new TextDecoder().decode(raw[item.file]));
    const view: ItemTestView = {
      parts: plan.parts.map((p) => ({
        identifier: p.identifier,
        navigationMode: p.navigationMode,
        timeLimitSeconds: p.maxTimeSeconds,
        items: p.items.map((i) => ({
          identifier: i.identifier,
          title: i.title,
          xml: rewriteAssetRefs(stripForPupil(xml.get(i.identifier)!, i.file), i.file, assetBase(sittingId)),
        })),
      })),
    };
    return { plan, xml, zip, view };
  }
}
