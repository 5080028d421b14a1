import type pg from 'pg';
import { AdvisoryLock } from '../db/advisoryLocks.ts';
import type { Db, Queryable } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor } from '../http/context.ts';
import { GENESIS, entryHash, firstBrokenEntry, type StoredEntry } from './chain.ts';

export interface AuditInput {
  actor?: Pick<Actor, 'userId' | 'role'> | null;
  action: string;
  subjectType?: string;
  subjectId?: string | number;
  details?: Record<string, unknown>;
}

/** Appends one entry inside the caller's transaction (the entry commits or rolls back with the action). */
export async function appendAudit(tx: pg.PoolClient, input: AuditInput): Promise<number> {
  return (await appendAuditMany(tx, [input]))[0];
}

/**
 * Appends entries in the given order inside the caller's transaction: one lock and three statements however many
 * (a batch of automatic hand-ins takes the chain's lock once instead of once per pupil, docs/performance.md).
 */
export async function appendAuditMany(tx: pg.PoolClient, inputs: AuditInput[]): Promise<number[]> {
  if (!inputs.length) return [];
  // Appends are serialised by a transaction-scoped advisory lock so the chain never forks.
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.auditChain]);
  const last = await tx.query<{ hash: Buffer }>('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1');
  let prev: Buffer = last.rows[0]?.hash ?? GENESIS;
  const { rows: ids } = await tx.query<{ id: string }>("SELECT nextval('audit_events_id_seq')::bigint AS id FROM generate_series(1, $1::int) ORDER BY 1", [
    inputs.length,
  ]);
  const at = new Date();
  const entries = inputs.map((input, i) => {
    const entry = {
      id: Number(ids[i].id),
      at,
      actorId: input.actor?.userId ?? null,
      actorRole: input.actor?.role ?? null,
      action: input.action,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId === undefined ? null : String(input.subjectId),
      details: input.details ?? {},
    };
    const hash = entryHash(prev, entry);
    const linked = { ...entry, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
  await tx.query(
    `INSERT INTO audit_events (id, at, actor_id, actor_role, action, subject_type, subject_id, details, prev_hash, hash)
     SELECT id, at, actor_id, actor_role, action, subject_type, subject_id, details::jsonb, prev_hash, hash
       FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::bytea[], $10::bytea[]) AS t(id, at, actor_id, actor_role, action, subject_type, subject_id, details, prev_hash, hash)`,
    [
      entries.map((e) => e.id),
      entries.map((e) => e.at),
      entries.map((e) => e.actorId),
      entries.map((e) => e.actorRole),
      entries.map((e) => e.action),
      entries.map((e) => e.subjectType),
      entries.map((e) => e.subjectId),
      entries.map((e) => JSON.stringify(e.details)),
      entries.map((e) => e.prevHash),
      entries.map((e) => e.hash),
    ],
  );
  return entries.map((e) => e.id);
}

/** True when an entry with this action and subject id exists (for events that are audited once, such as a release). */
export async function hasAuditEntry(q: Queryable, action: string, subjectId: string | number): Promise<boolean> {
  const { rowCount } = await q.query('SELECT 1 FROM audit_events WHERE action = $1 AND subject_id = $2 LIMIT 1', [action, String(subjectId)]);
  return (rowCount ?? 0) > 0;
}

/** Appends one entry in its own transaction. */
export function audit(db: Db, input: AuditInput): Promise<number> {
  return withTransaction(db, (tx) => appendAudit(tx, input));
}

/** Verifies the whole chain in pages; returns the first broken id or null, and how many entries were read. */
export async function verifyAuditChain(q: Queryable, pageSize = 5000): Promise<{ broken: number | null; checked: number }> {
  let prev: Buffer = GENESIS;
  let after = 0;
  let checked = 0;
  for (;;) {
    const { rows } = await q.query(
      `SELECT id, at, actor_id, actor_role, action, subject_type, subject_id, details, prev_hash, hash
         FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, pageSize],
    );
    if (!rows.length) return { broken: null, checked };
    const entries: StoredEntry[] = rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actorId: r.actor_id === null ? null : Number(r.actor_id),
      actorRole: r.actor_role,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      details: r.details,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    const result = firstBrokenEntry(entries, prev);
    if (result.broken !== null) return { broken: result.broken, checked: checked + entries.findIndex((e) => e.id === result.broken) };
    checked += entries.length;
    prev = result.last;
    after = entries[entries.length - 1].id;
  }
}
