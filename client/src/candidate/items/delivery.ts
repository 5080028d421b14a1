/**
 * The pure rules of delivering an item test (docs/rules.md, item tests): which part is open, where the pupil may
 * go, what the overview says, and a shuffle that is the same for one pupil on every reload and device.
 */

export interface DeliveryPart {
  identifier: string;
  navigationMode: 'linear' | 'nonlinear';
  itemIds: string[];
  /** This pupil's end of the part by the server clock (epoch ms), or null when only the sitting's window applies. */
  endsAt: number | null;
}

/** A part is over when its time has run out on the server clock or the server said so (partClosed). */
export const partOver = (p: DeliveryPart, now: number, closed: ReadonlySet<string>): boolean =>
  closed.has(p.identifier) || (p.endsAt !== null && now >= p.endsAt);

/**
 * The part the pupil works in: the first that is not over, from the one they chose to move on to. Parts run in
 * order and never reopen. Returns parts.length when every part is over.
 */
export function currentPart(parts: readonly DeliveryPart[], now: number, closed: ReadonlySet<string>, movedOnTo: number): number {
  for (let i = Math.max(0, movedOnTo); i < parts.length; i++) if (!partOver(parts[i], now, closed)) return i;
  return parts.length;
}

/**
 * Whether the pupil may go from item `from` to item `to` of a part. Non-linear parts allow any item; a linear
 * part only goes forward one item at a time, so an item once left is never shown again.
 */
export function mayGo(part: DeliveryPart, from: number, to: number): boolean {
  if (to < 0 || to >= part.itemIds.length || to === from) return false;
  return part.navigationMode === 'nonlinear' || to === from + 1;
}

/** Where a pupil resumes in a part: what this browser remembers, never outside the part. */
export const resumePosition = (part: DeliveryPart, remembered: number | undefined): number =>
  Math.min(Math.max(0, remembered ?? 0), Math.max(0, part.itemIds.length - 1));

export type ItemStatus = 'answered' | 'unanswered';

/** The overview's counts for a part. */
export function overviewCounts(itemIds: readonly string[], answered: (id: string) => boolean, flagged: ReadonlySet<string>) {
  const a = itemIds.filter(answered).length;
  return { answered: a, unanswered: itemIds.length - a, flagged: itemIds.filter((id) => flagged.has(id)).length };
}

/** A 32-bit FNV-1a hash: the shuffle's seed from a stable text. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Shuffles `items` for `seed` (e.g. registration and item), keeping those marked fixed in their places
 * (the item's `fixed="true"` choices). Deterministic: a reload or another device shows the same order.
 */
export function stableShuffle<T>(items: readonly T[], seed: string, fixed: (t: T) => boolean = () => false): T[] {
  let s = hash(seed) || 1;
  const rand = () => {
    // xorshift32: small and good enough to mix a handful of choices.
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  const movable = items.filter((t) => !fixed(t));
  for (let i = movable.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [movable[i], movable[j]] = [movable[j], movable[i]];
  }
  let k = 0;
  return items.map((t) => (fixed(t) ? t : movable[k++]));
}

/** Moves the element at `from` by `delta` places (order interaction); the list is returned unchanged at its ends. */
export function moveItem<T>(list: readonly T[], from: number, delta: number): T[] {
  const to = from + delta;
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [x] = next.splice(from, 1);
  next.splice(to, 0, x);
  return next;
}
