/**
 * What this browser remembers of the pupil's way through the item test: the part they moved on to, where they
 * are in each part, and the items flagged for review. Kept in localStorage, not in the answer document: the
 * flags and places are the pupil's own notes, not part of what is handed in (the receipt's hash covers the
 * responses only), and the answer socket accepts only the responses and extended texts the protocol names.
 * The cost: after a device switch the flags are gone and the pupil starts at the first item of the open part.
 */
export interface Memory {
  movedOnTo: number;
  at: Record<string, number>;
  flags: string[];
}

export function loadMemory(registrationId: number): Memory {
  try {
    const m = JSON.parse(localStorage.getItem(key(registrationId)) ?? '{}') as Partial<Memory>;
    return {
      movedOnTo: Number.isInteger(m.movedOnTo) ? (m.movedOnTo as number) : 0,
      at: m.at && typeof m.at === 'object' ? m.at : {},
      flags: Array.isArray(m.flags) ? m.flags.filter((f) => typeof f === 'string') : [],
    };
  } catch {
    return { movedOnTo: 0, at: {}, flags: [] };
  }
}

export function saveMemory(registrationId: number, m: Memory): void {
  try {
    localStorage.setItem(key(registrationId), JSON.stringify(m));
  } catch {
    /* full or blocked: only the pupil's place and flags are lost, never a response */
  }
}

const key = (registrationId: number) => `provesal.items.${registrationId}`;
