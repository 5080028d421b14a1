import type { Queryable } from '../db/pool.ts';
import type { SealedPaper } from '../scheduling/paperVault.ts';
import type { PartSchedule } from './testPlan.ts';

export interface StoredPackage {
  wrappedKey: Buffer;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
  sha256: string;
  uploadedAt: Date;
}

/** Stores (or replaces) a sitting's sealed package with its plain schedule. */
export async function storeItemPackage(
  q: Queryable,
  sittingId: number,
  p: SealedPaper,
  o: { itemCount: number; parts: PartSchedule[]; by: number },
): Promise<void> {
  await q.query(
    `INSERT INTO item_packages (sitting_id, wrapped_key, iv, auth_tag, ciphertext, sha256, byte_size, item_count, parts, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (sitting_id) DO UPDATE SET wrapped_key = EXCLUDED.wrapped_key, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
       ciphertext = EXCLUDED.ciphertext, sha256 = EXCLUDED.sha256, byte_size = EXCLUDED.byte_size, item_count = EXCLUDED.item_count,
       parts = EXCLUDED.parts, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
    [sittingId, p.wrappedKey, p.iv, p.authTag, p.ciphertext, p.sha256, p.byteSize, o.itemCount, JSON.stringify(o.parts), o.by],
  );
}

export async function loadItemPackage(q: Queryable, sittingId: number): Promise<StoredPackage | null> {
  const { rows } = await q.query<{ wrapped_key: Buffer; iv: Buffer; auth_tag: Buffer; ciphertext: Buffer; sha256: string; uploaded_at: Date }>(
    'SELECT wrapped_key, iv, auth_tag, ciphertext, sha256, uploaded_at FROM item_packages WHERE sitting_id = $1',
    [sittingId],
  );
  const r = rows[0];
  return r ? { wrappedKey: r.wrapped_key, iv: r.iv, authTag: r.auth_tag, ciphertext: r.ciphertext, sha256: r.sha256, uploadedAt: r.uploaded_at } : null;
}

/** The parts' schedule of a sitting's item test, or null when the sitting is an essay. */
export async function findPartSchedule(q: Queryable, sittingId: number): Promise<PartSchedule[] | null> {
  const { rows } = await q.query<{ parts: PartSchedule[] }>('SELECT parts FROM item_packages WHERE sitting_id = $1', [sittingId]);
  return rows[0]?.parts ?? null;
}

/** What the ministry sees of an uploaded package (never its content). */
export async function packageInfo(q: Queryable, sittingId: number) {
  const { rows } = await q.query<{ sha256: string; byte_size: number; item_count: number; parts: PartSchedule[]; uploaded_at: Date }>(
    'SELECT sha256, byte_size, item_count, parts, uploaded_at FROM item_packages WHERE sitting_id = $1',
    [sittingId],
  );
  const r = rows[0];
  return r ? { sha256: r.sha256, bytes: r.byte_size, items: r.item_count, parts: r.parts, uploadedAt: r.uploaded_at.toISOString() } : null;
}
