import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import { newAccessCode } from '../auth/tokens.ts';

export interface SittingSeb { sitting_id: number; exam_key_salt: Buffer; quit_password: string; start_url: string; browser_exam_keys: string[] }

/** The sitting's SEB settings, created on first use (and then fixed, so its Config Key never changes). */
export async function sittingSeb(q: Queryable, sittingId: number, startUrl: string): Promise<SittingSeb> {
  await q.query(
    `INSERT INTO sitting_seb (sitting_id, exam_key_salt, quit_password, start_url) VALUES ($1, $2, $3, $4) ON CONFLICT (sitting_id) DO NOTHING`,
    [sittingId, randomBytes(32), newAccessCode(), startUrl]);
  const { rows } = await q.query<SittingSeb>('SELECT sitting_id, exam_key_salt, quit_password, start_url, browser_exam_keys FROM sitting_seb WHERE sitting_id = $1', [sittingId]);
  return rows[0];
}

export async function insertLockdownEvents(q: Queryable, registrationId: number, events: { type: string; at: Date; durationMs?: number; details?: unknown }[]): Promise<void> {
  await q.query(
    `INSERT INTO lockdown_events (registration_id, type, occurred_at, duration_ms, details)
     SELECT $1, t, o, d, x::jsonb FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::text[]) AS v(t, o, d, x)`,
    [registrationId, events.map((e) => e.type), events.map((e) => e.at), events.map((e) => e.durationMs ?? null), events.map((e) => JSON.stringify(e.details ?? {}))]);
}

export async function setLocked(q: Queryable, registrationId: number, reason: string | null): Promise<void> {
  await q.query('UPDATE registrations SET locked_reason = $2 WHERE id = $1', [registrationId, reason]);
}
