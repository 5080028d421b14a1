import type { ItemTestView } from '../../../../src/protocol/itemResponses.ts';
import { patiently } from '../paper.ts';
import type { ParsedItem } from './content.ts';
import type { DeliveryPart } from './delivery.ts';
import { extendedResponses, parseItem } from './itemView.ts';

export interface LoadedItem {
  title: string;
  /** null when the served XML cannot be read: the item then says so instead of being shown half. */
  parsed: ParsedItem | null;
  /** Its extended-text responses, whose text lives in their own fragments. */
  extended: string[];
}

/**
 * The item test as served from the start (keys stripped on the server), parsed once. Before the start, or
 * offline, it waits and asks again like the question paper does.
 */
export async function loadItemTest(sittingId: number, endOf: ReadonlyMap<string, number>): Promise<{ parts: DeliveryPart[]; items: Map<string, LoadedItem> }> {
  const test = await patiently<ItemTestView>(`/api/sittings/${sittingId}/items`, () => undefined);
  const items = new Map<string, LoadedItem>();
  for (const p of test.parts) {
    for (const it of p.items) {
      let parsed: ParsedItem | null = null;
      try {
        parsed = parseItem(it.xml);
      } catch (err) {
        console.warn(`item ${it.identifier} could not be read`, err);
      }
      items.set(it.identifier, { title: it.title, parsed, extended: parsed ? extendedResponses(parsed) : [] });
    }
  }
  const parts = test.parts.map((p) => ({
    identifier: p.identifier,
    navigationMode: p.navigationMode,
    itemIds: p.items.map((i) => i.identifier),
    endsAt: endOf.get(p.identifier) ?? null,
  }));
  return { parts, items };
}
