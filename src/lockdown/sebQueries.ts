import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import { newAccessCode } from '../auth/tokens.ts';

export interface SittingSeb {
  sitting_id: number;
  exam_key_salt: Buffer;
  quit_password: string;
  start_url: string;
  browser_exam_keys: string[];
}

/**
 * The sitting's SEB settings, created on first use (salt and quit password then fixed, so the Config Key stays the
 * same while the configured origin does). A start URL stored from elsewhere (earlier versions took it from the first
 * request's Host header) is replaced by the configured one: a .seb must never point pupils at another host.
 */
export async function sittingSeb(q: Queryable, sittingId: number, startUrl: string): Promise<SittingSeb> {
  await q.query(
    `INSERT INTO sitting_seb (sitting_id, exam_key_salt, quit_password, start_url) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sitting_id) DO UPDATE SET start_url = EXCLUDED.start_url WHERE sitting_seb.start_url <> EXCLUDED.start_url`,
    [sittingId, randomBytes(32), newAccessCode(), startUrl],
  );
  const { rows } = await q.query<SittingSeb>(
    'SELECT sitting_id, exam_key_salt, quit_password, start_url, browser_exam_keys FROM sitting_seb WHERE sitting_id = $1',
    [sittingId],
  );
  return rows[0];
}

/** A lockdown event as stored: `at` is the server's receive time, `clientAt` what the browser claimed. */
export interface LockdownEventValues {
  type: string;
  at: Date;
  clientAt?: string | null;
  durationMs?: number;
  details?: unknown;
}

export async function insertLockdownEvents(q: Queryable, registrationId: number, events: LockdownEventValues[]): Promise<void> {
  await q.query(
    `INSERT INTO lockdown_events (registration_id, type, occurred_at, client_at, duration_ms, details)
     SELECT $1, t, o, ca, d, x::jsonb FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::text[]) AS v(t, o, ca, d, x)`,
    [
      registrationId,
      events.map((e) => e.type),
      events.map((e) => e.at),
      events.map((e) => e.clientAt ?? null),
      events.map((e) => e.durationMs ?? null),
      events.map((e) => JSON.stringify(e.details ?? {})),
    ],
  );
}

export async function setLocked(q: Queryable, registrationId: number, reason: string | null): Promise<void> {
  await q.query('UPDATE registrations SET locked_reason = $2 WHERE id = $1', [registrationId, reason]);
}
