import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** The genesis link: the first entry's prev_hash. */
export const GENESIS: Buffer = Buffer.alloc(32);

export interface AuditEntry {
  id: number;
  at: Date;
  actorId: number | null;
  actorRole: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
}

/**
 * hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the entry). Canonical JSON because
 * jsonb reorders keys: the hash must not depend on how PostgreSQL hands the details back.
 */
export function entryHash(prev: Buffer, e: AuditEntry): Buffer {
  const body = canonicalize([e.id, e.at.toISOString(), e.actorId, e.actorRole, e.action, e.subjectType, e.subjectId, e.details]);
  return createHash('sha256')
    .update(prev)
    .update(body ?? '')
    .digest();
}

export interface StoredEntry extends AuditEntry {
  prevHash: Buffer;
  hash: Buffer;
}

/** Walks the chain in id order; returns the id of the first entry that does not link, or null. */
export function firstBrokenEntry(entries: Iterable<StoredEntry>, prev: Buffer = GENESIS): { broken: number | null; last: Buffer } {
  for (const e of entries) {
    if (!e.prevHash.equals(prev) || !entryHash(prev, e).equals(e.hash)) return { broken: e.id, last: prev };
    prev = e.hash;
  }
  return { broken: null, last: prev };
}
